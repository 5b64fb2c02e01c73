// The survey pages keep the date range from page to page (as Links does), and call answers over views the answer rate.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useLocation } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { addDays, rangeFromParams } from "../src/lib/range.ts";
import { draftFromSurvey } from "../src/lib/survey-form.ts";
import type { Overview, Survey, SurveyStats } from "../src/lib/types.ts";
import { OverviewPage } from "../src/pages/Overview.tsx";
import { SurveyDetailPage } from "../src/pages/surveys/SurveyDetail.tsx";
import { SurveyEditor } from "../src/pages/surveys/SurveyEditor.tsx";
import { SurveysListPage } from "../src/pages/surveys/SurveysList.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const survey: Survey = {
  id: "s1", name: "Checkout survey", defaultLocale: "en", locales: ["en"], question: { en: "How did you hear about us?" }, thankYou: null,
  randomize: false, active: true, createdAt: 1, updatedAt: 1, archivedAt: null,
  options: [{ id: "o1", kind: "option", label: { en: "A friend" }, channel: "word_of_mouth", source: null, followUp: null }],
  hostedUrl: "http://surveys.test/s/s1", embed: "<script></script>",
};
const stats: SurveyStats = {
  surveyId: "s1", from: null, to: null, views: 1712, responses: 836, skips: 20, responseRate: 836 / 1712, skipRate: 20 / 1712, followUps: { offered: 0, answered: 0, rate: null },
  options: [], channels: [],
};

function surveysServer() {
  return fakeServer()
    .on("GET", "/api/surveys", { body: { data: [survey] } })
    .on("GET", "/api/surveys/s1", { body: survey })
    .on("GET", "/api/surveys/s1/stats", { body: stats })
    .on("GET", "/api/surveys/s1/responses", { body: { data: [], nextCursor: null } });
}

function Where() {
  const l = useLocation();
  return <p data-testid="where">{`${l.pathname}${l.search}`}</p>;
}

describe("the survey pages keep the date range", () => {
  it("from the list to a survey: the link carries ?range, and the survey's figures are for 90 days", async () => {
    const server = surveysServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<SurveysListPage />, { server, path: "/surveys?range=90d", routes: [{ path: "/surveys/:id", element: <SurveyDetailPage /> }] });
    const link = await screen.findByRole("link", { name: "Checkout survey" });
    expect(link).toHaveAttribute("href", "/surveys/s1?range=90d");
    expect(screen.getByRole("link", { name: "New survey" })).toHaveAttribute("href", "/surveys/new?range=90d");
    await user.click(link);
    await screen.findByLabelText("Survey figures");
    const ninety = rangeFromParams(new URLSearchParams("range=90d"));
    const sent = server.sent("GET", "/api/surveys/s1/stats").at(-1)!;
    expect([sent.query.get("from"), sent.query.get("to")]).toEqual([ninety.from, addDays(ninety.to, 1)]);
    expect(within(screen.getByLabelText("Survey figures")).getByText("Last 90 days")).toBeInTheDocument();
  });

  it("from a survey to its editor and back to the list, custom ranges included", async () => {
    renderPage(<SurveyDetailPage />, { server: surveysServer(), path: "/surveys/s1?from=2024-06-01&to=2024-06-30&channel=x", pattern: "/surveys/:id" });
    expect(await screen.findByRole("link", { name: "Edit survey" })).toHaveAttribute("href", "/surveys/s1/edit?from=2024-06-01&to=2024-06-30");
    expect(screen.getByRole("link", { name: "Surveys" })).toHaveAttribute("href", "/surveys?from=2024-06-01&to=2024-06-30");
  });

  it("after saving, the editor opens the survey with the range it was opened with", async () => {
    const server = fakeServer().on("PATCH", "/api/surveys/s1", { body: survey });
    const user = userEvent.setup({ delay: null });
    const { router } = renderPage(<SurveyEditor initial={draftFromSurvey(survey)} />, { server, path: "/surveys/s1/edit?range=90d", pattern: "/surveys/:id/edit", routes: [{ path: "/surveys/:id", element: <Where /> }] });
    expect(await screen.findByRole("link", { name: "Cancel" })).toHaveAttribute("href", "/surveys/s1?range=90d");
    await user.click(screen.getByRole("button", { name: "Save survey" }));
    expect(await screen.findByTestId("where")).toHaveTextContent("/surveys/s1?range=90d");
    expect(router.state.location.search).toBe("?range=90d");
  });
});

describe("“response rate” means one thing", () => {
  it("the survey page calls answers over views the answer rate", async () => {
    renderPage(<SurveyDetailPage />, { server: surveysServer(), path: "/surveys/s1", pattern: "/surveys/:id" });
    const figures = await screen.findByLabelText("Survey figures");
    const rate = within(figures).getByText("Answer rate", { selector: "dt" }).parentElement!;
    expect(rate).toHaveTextContent("49% (836 of 1,712 views)");
    expect(figures).not.toHaveTextContent(/response rate/i);
  });

  it("the overview's response rate is of conversions; its answer rate is of survey views", async () => {
    const overview = {
      range: { from: 0, to: 1, fromIso: "", toIso: "" }, conversions: 2010, value: 0, respondents: 836, responseRate: 836 / 2010, answers: 836, views: 1712, answerRate: 836 / 1712,
      clicks: 0, unfurls: 0, reshares: 0, darkConversions: 0,
      darkShare: { respondents: { estimate: null, low: null, high: null, dark: 0, n: 0, noChannel: 0 }, all: { estimate: null, low: null, high: null, faceValue: null, corrected: null, unnamedNotDark: null, answerCheck: null, coverage: null, missingStrata: [] }, naive: { estimate: null }, explanation: null },
      topChannels: [], estimatedMix: { coverage: 1, channels: [] },
    } as unknown as Overview;
    const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
    const server = fakeServer().on("GET", "/api/reports/overview", { body: overview }).on("GET", "/api/reports/dark-social", unavailable).on("GET", "/api/reports/gap", unavailable);
    renderPage(<OverviewPage />, { server });
    const figures = await screen.findByLabelText("Key figures");
    expect(within(figures).getByText("Response rate", { selector: "dt" }).parentElement).toHaveTextContent("836 of 2,010 conversions answered the survey");
    expect(within(figures).getByText("Answers", { selector: "dt" }).parentElement).toHaveTextContent("answer rate 49% (836 of 1,712 survey views)");
  });
});
