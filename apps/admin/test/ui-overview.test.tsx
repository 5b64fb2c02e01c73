// The overview's figures: the dark share with its interval, and what the interval allows for, in words.
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Overview } from "../src/lib/types.ts";
import { OverviewPage } from "../src/pages/Overview.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const overview: Overview = {
  range: { from: 0, to: 1, fromIso: "", toIso: "" },
  conversions: 571, value: 37958.95, respondents: 254, responseRate: 254 / 571, answers: 254, views: 488, answerRate: 254 / 488,
  clicks: 5319, unfurls: 1645, reshares: 355, darkConversions: 196,
  darkShare: {
    respondents: { estimate: 0.59, low: 0.53, high: 0.65, dark: 140, n: 237, noChannel: 17 },
    all: {
      estimate: 0.579, low: 0.49, high: 0.69, faceValue: { low: 0.52, high: 0.64 }, corrected: 0.608, unnamedNotDark: 0.543,
      answerCheck: { respondents: 45, namedDark: 42, sensitivity: 42 / 45, low: 0.82, high: 0.98 }, coverage: 1, missingStrata: [],
    },
    naive: { estimate: 0.591 },
    explanation: "The naive figure counts every answer alike.",
  },
  topChannels: [],
  estimatedMix: { coverage: 1, channels: [] },
};

function server(body: Overview) {
  const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
  return fakeServer().on("GET", "/api/reports/overview", { body }).on("GET", "/api/reports/dark-social", unavailable).on("GET", "/api/reports/gap", unavailable);
}

describe("the overview's dark share", () => {
  it("says what the interval allows for: answers that named no channel, and answer noise", async () => {
    renderPage(<OverviewPage />, { server: server(overview) });
    const callout = await screen.findByRole("region", { name: "How the dark share is estimated" });
    expect(callout).toHaveTextContent("17 more named none and count as no answer; were none of them dark, the share would be 54%, which the interval's lower end allows for");
    expect(callout).toHaveTextContent("Answer check: 93% of 45 buyers seen arriving through a private channel named one");
    expect(callout).toHaveTextContent("corrected for the rest: 61%");
  });

  it("says nothing of unnamed answers when every respondent named a channel", async () => {
    const named = structuredClone(overview);
    named.darkShare.respondents.noChannel = 0;
    named.darkShare.all.unnamedNotDark = named.darkShare.all.estimate;
    renderPage(<OverviewPage />, { server: server(named) });
    const callout = await screen.findByRole("region", { name: "How the dark share is estimated" });
    expect(callout).toHaveTextContent("140 of 237 respondents who named a channel were dark");
    expect(callout).not.toHaveTextContent("named none");
    expect(callout).not.toHaveTextContent("lower end");
  });
});
