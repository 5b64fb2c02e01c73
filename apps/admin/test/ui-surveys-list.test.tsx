// The surveys list: a survey named after its question says it once; one with its own name shows the question under it.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Survey } from "../src/lib/types.ts";
import { SurveysListPage } from "../src/pages/surveys/SurveysList.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const base: Survey = {
  id: "s1", name: "How did you hear about us?", defaultLocale: "en", locales: ["en"], question: { en: "How did you hear about us?" }, thankYou: null,
  randomize: true, active: true, createdAt: 1, updatedAt: Date.UTC(2024, 5, 2), archivedAt: null,
  options: [{ id: "o1", kind: "option", label: { en: "A friend" }, channel: "word_of_mouth", source: null, followUp: null }],
  hostedUrl: "http://surveys.test/s/s1", embed: "",
};
const named: Survey = { ...base, id: "s2", name: "Checkout survey", active: false, hostedUrl: "http://surveys.test/s/s2" };

describe("the surveys list", () => {
  it("does not repeat a question that is also the survey's name, and shows it under any other name", async () => {
    renderPage(<SurveysListPage />, { server: fakeServer().on("GET", "/api/surveys", { body: { data: [base, named] } }), path: "/surveys" });
    const table = await screen.findByRole("table", { name: "Surveys" });
    expect(within(table).getByRole("columnheader", { name: "Answer options" })).toBeInTheDocument();
    const cell = (name: string) => screen.getByRole("link", { name }).closest("td")!;
    expect(cell("How did you hear about us?").textContent).toBe("How did you hear about us?");
    expect(cell("Checkout survey").textContent).toBe("Checkout surveyHow did you hear about us?");
    expect(within(screen.getByRole("link", { name: "Checkout survey" }).closest("tr")!).getByText("paused")).toBeInTheDocument();
  });
});
