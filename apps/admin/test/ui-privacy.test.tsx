// The privacy settings: what the retention setting deletes, and saving it.
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { PrivacyPage } from "../src/pages/settings/Privacy.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const privacy = { honorDnt: true, honorGpc: true, retentionDays: 395 };

describe("the privacy settings page", () => {
  it("says which raw events the retention deletes, when, and what is kept; and saves a new retention", async () => {
    const server = fakeServer()
      .on("GET", "/api/settings", { body: { privacy } })
      .on("PATCH", "/api/settings", { body: { privacy: { ...privacy, retentionDays: 30 } } });
    const user = userEvent.setup({ delay: null });
    renderPage(<PrivacyPage />, { server, path: "/settings/privacy" });
    const days = await screen.findByLabelText("Keep raw events for (days)");
    expect(days).toHaveAccessibleDescription(/^Once a day, raw events older than this are deleted: clicks, link previews \(unfurls\), bot hits, re-share arrivals, untagged visits, and survey views and skips\./);
    expect(days).toHaveAccessibleDescription(/Conversions, survey answers, their attribution and the daily roll-ups are kept/);
    await user.clear(days);
    await user.type(days, "30");
    await user.click(screen.getByRole("button", { name: "Save privacy settings" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(server.sent("PATCH", "/api/settings")[0]!.body).toEqual({ privacy: { ...privacy, retentionDays: 30 } });
  });
});
