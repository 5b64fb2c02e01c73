// The overview's figures: the dark share with its interval, and what the interval allows for, in words.
import { readFileSync } from "node:fs";
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { DarkSocialReport, Overview } from "../src/lib/types.ts";
import { OverviewPage } from "../src/pages/Overview.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(() => {
  cleanup();
  for (const s of document.head.querySelectorAll("style[data-test]")) s.remove();
});

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
    expect(callout).toHaveTextContent("140 of 237 respondents who named a channel were dark, by their answer or by the private channel software saw them arrive through");
    expect(callout).not.toHaveTextContent("named none");
    expect(callout).not.toHaveTextContent("lower end");
  });
});

describe("why conversions count as dark", () => {
  it("shows each reason's full words: labels wrap instead of being cut off with an ellipsis", async () => {
    const style = document.createElement("style");
    style.dataset.test = "";
    style.textContent = readFileSync(`${process.cwd()}/src/styles.css`, "utf8");
    document.head.append(style);
    const dark: DarkSocialReport = {
      range: { from: 0, to: 1, fromIso: "", toIso: "" },
      interval: "day",
      series: [],
      bySource: { unfurlApps: [], inAppBrowsers: [], selfReported: [] },
      byEvidence: [
        { reason: "dark_self_report", conversions: 432, share: 0.58 },
        { reason: "messaging_unfurl_before_click", conversions: 260, share: 0.35 },
        { reason: "dark_referrer", conversions: 78, share: 0.11 },
      ],
    };
    const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
    const server = fakeServer().on("GET", "/api/reports/overview", { body: overview }).on("GET", "/api/reports/dark-social", { body: dark }).on("GET", "/api/reports/gap", unavailable);
    renderPage(<OverviewPage />, { server });
    const table = await screen.findByRole("table", { name: "Dark conversions by evidence" });
    const labels = within(table).getAllByRole("rowheader");
    expect(labels.map((l) => l.textContent)).toEqual(["The buyer named a private channel", "A chat app drew the preview just before the click", "Referrer or UTM names a private channel"]);
    for (const label of labels) {
      const text = getComputedStyle(label.querySelector(".barlist-text")!);
      expect(text.whiteSpace).not.toBe("nowrap");
      expect(text.textOverflow).not.toBe("ellipsis");
      expect(text.maxWidth === "" || text.maxWidth === "none").toBe(true);
      expect(text.getPropertyValue("overflow-wrap")).toBe("anywhere");
    }
    // The figure and its share stay together next to the label.
    expect(within(table).getAllByRole("cell").map((c) => c.textContent)).toEqual(["432 58%", "260 35%", "78 11%"]);
  });
});
