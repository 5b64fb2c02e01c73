// The survey page: figures with their basis, embed snippet, responses and relabelling a free-text answer.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { Survey, SurveyResponse, SurveyStats } from "../src/lib/types.ts";
import { SurveyDetailPage } from "../src/pages/surveys/SurveyDetail.tsx";
import { fakeServer, renderPage, VIEWER } from "./ui-harness.tsx";

afterEach(cleanup);

const survey: Survey = {
  id: "s1", name: "Checkout survey", defaultLocale: "en", locales: ["en"], question: { en: "How did you hear about us?" }, thankYou: null,
  randomize: true, active: true, createdAt: 1, updatedAt: 1, archivedAt: null,
  options: [
    { id: "o1", kind: "option", label: { en: "A friend" }, channel: "word_of_mouth", source: null, followUp: null },
    { id: "o2", kind: "other", label: { en: "Other" }, channel: null, source: null, followUp: null },
  ],
  hostedUrl: "http://surveys.test/s/s1",
  embed: '<script src="http://surveys.test/widget.js" data-survey="s1" async></script>',
};
const stats: SurveyStats = {
  surveyId: "s1", from: null, to: null, views: 280, responses: 34, skips: 20, responseRate: 34 / 280, skipRate: 20 / 280,
  followUps: { offered: 30, answered: 9, rate: 9 / 30 },
  options: [{ optionId: "o1", kind: "option", label: "A friend", labels: { en: "A friend" }, channel: "word_of_mouth", source: null, archived: false, responses: 30, share: 30 / 34, followUps: 9 }],
  channels: [{ channel: "word_of_mouth", label: "Word of mouth", dark: true, responses: 30, share: 30 / 34 }],
};
const response: SurveyResponse = {
  id: "r1", surveyId: "s1", ts: Date.UTC(2024, 5, 1, 9, 30), receivedAt: 0, optionId: "o2", optionLabel: "Other", otherText: "my boss pinged it", followUpText: null,
  channel: null, source: null, confidence: null, rule: "unclassified", locale: "en", lcid: "c_123", visitorId: null, shareToken: null, conversionId: null, externalId: null, respondentHash: null,
};

function server(session = undefined as never) {
  return fakeServer(session)
    .on("GET", "/api/surveys/s1", { body: survey })
    .on("GET", "/api/surveys/s1/stats", { body: stats })
    .on("GET", "/api/surveys/s1/responses", { body: { data: [response], nextCursor: null } })
    .on("PUT", "/api/answer-labels", { body: { label: {}, relabeled: 3 } });
}

describe("the survey page", () => {
  it("shows the response rate with its basis and the embed snippet to copy", async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyDetailPage />, { server: server(), path: "/surveys/s1", pattern: "/surveys/:id" });
    expect(await screen.findByText("12% (34 of 280 views)")).toBeInTheDocument();
    expect(screen.getByText("Follow-up questions answered: 30% (9 of 30 answers whose option asks one).")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy embed snippet" }));
    expect(await navigator.clipboard.readText()).toBe(survey.embed);
    await user.click(screen.getByRole("button", { name: "Copy hosted page URL" }));
    expect(await navigator.clipboard.readText()).toBe("http://surveys.test/s/s1");
  });

  it("relabels a free-text answer to a channel and says how many stored answers changed", async () => {
    const s = server();
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyDetailPage />, { server: s, path: "/surveys/s1", pattern: "/surveys/:id" });
    await user.click(await screen.findByRole("button", { name: "Relabel “my boss pinged it”" }));
    const form = screen.getByRole("form", { name: "Relabel “my boss pinged it”" });
    await user.click(within(form).getByRole("button", { name: "Save label" }));
    expect(within(form).getByRole("alert")).toHaveTextContent("Pick the channel this answer means.");
    await user.selectOptions(within(form).getByLabelText("Channel"), "workchat");
    await user.type(within(form).getByLabelText("Source (optional)"), "slack");
    await user.click(within(form).getByRole("button", { name: "Save label" }));
    expect(await screen.findByText("“my boss pinged it” is now Work chat; 3 stored answers relabelled. Attribution reports follow at the next reconcile run (System → Reconcile now runs one at once).")).toBeInTheDocument();
    expect(s.sent("PUT", "/api/answer-labels")[0]!.body).toEqual({ text: "my boss pinged it", channel: "workchat", source: "slack" });
  });

  it("filters responses by channel through the surveys API and links the CSV export to the same filter", async () => {
    const s = server();
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveyDetailPage />, { server: s, path: "/surveys/s1", pattern: "/surveys/:id" });
    await user.selectOptions(await screen.findByLabelText("Channel"), "unclassified");
    await expect.poll(() => s.sent("GET", "/api/surveys/s1/responses").at(-1)?.query.get("channel")).toBe("unclassified");
    expect(screen.getByRole("link", { name: "Export CSV: survey responses" }).getAttribute("href")).toMatch(/^\/api\/surveys\/s1\/responses\.csv\?.*channel=unclassified/);
  });

  it("gives a viewer no edit or relabel buttons", async () => {
    renderPage(<SurveyDetailPage />, { server: server(VIEWER as never), path: "/surveys/s1", pattern: "/surveys/:id" });
    expect(await screen.findByText("“my boss pinged it”")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Edit survey" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Relabel/ })).not.toBeInTheDocument();
  });

  it("shows an unclassified answer as not placed, with no confidence, and the click id only as a muted hint", async () => {
    const placed: SurveyResponse = { ...response, id: "r2", optionId: "o1", optionLabel: "A friend", otherText: null, channel: "word_of_mouth", source: null, confidence: 0.85, rule: "option", lcid: null };
    const s = fakeServer()
      .on("GET", "/api/surveys/s1", { body: survey })
      .on("GET", "/api/surveys/s1/stats", { body: stats })
      .on("GET", "/api/surveys/s1/responses", { body: { data: [{ ...response, confidence: 0 }, placed], nextCursor: null } });
    renderPage(<SurveyDetailPage />, { server: s, path: "/surveys/s1", pattern: "/surveys/:id" });
    const table = await screen.findByRole("table", { name: "Responses to Checkout survey" });
    expect(within(table).queryByRole("columnheader", { name: /click id/i })).not.toBeInTheDocument();
    const [, unplaced, friend] = within(table).getAllByRole("row");
    expect(within(unplaced!).getByText("Not placed")).toHaveAttribute("title", "This answer names no channel; the figures count it as Unclassified.");
    expect(unplaced).not.toHaveTextContent(/confidence/);
    expect(unplaced).not.toHaveTextContent("c_123");
    expect(within(unplaced!).getByText("came through a tracked link")).toHaveAttribute("title", "Click id c_123");
    expect(friend).toHaveTextContent("confidence 85%");
    expect(friend).not.toHaveTextContent("tracked link");
  });
});
