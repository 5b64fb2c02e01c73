// Settings → Channels: each channel's group in words, its key kept but muted, the dark-social box apart.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Channel } from "../src/lib/types.ts";
import { ChannelsPage } from "../src/pages/settings/Channels.tsx";
import { fakeServer, renderPage, VIEWER } from "./ui-harness.tsx";

afterEach(cleanup);

const channels: Channel[] = [
  { key: "organic_search", label: "Organic search", group: "search", dark: false },
  { key: "email", label: "Email campaigns", group: "owned", dark: false },
  { key: "personal_email", label: "Forwarded email", group: "dark", dark: true },
  // An admin unticked dark social: the group must not read as saying otherwise.
  { key: "community", label: "Private communities", group: "dark", dark: false },
  { key: "podcast", label: "Podcasts", group: "untracked", dark: false },
  { key: "custom", label: "Custom", group: "partner", dark: false },
];

const server = (session?: typeof VIEWER) => fakeServer(session).on("GET", "/api/channels", { body: { channels } });
const rowOf = (key: string) => screen.getByRole("rowheader", { name: key }).closest("tr")!;

describe("the channel taxonomy", () => {
  it("names each group in words, keeps the raw group as a hint and the key muted", async () => {
    renderPage(<ChannelsPage />, { server: server(), path: "/settings/channels" });
    expect(await screen.findByRole("textbox", { name: "Label of personal_email" })).toHaveValue("Forwarded email");
    const table = screen.getByRole("table", { name: "Channels" });
    expect(within(table).queryByText("dark", { selector: "td" })).not.toBeInTheDocument();
    expect(within(table).queryByText("untracked", { selector: "td" })).not.toBeInTheDocument();
    const group = (key: string) => rowOf(key).querySelectorAll("td")[1]!;
    expect(group("organic_search")).toHaveTextContent("Search engines");
    expect(group("email")).toHaveTextContent("Your own emails");
    expect(group("personal_email")).toHaveTextContent("Private sharing");
    expect(group("personal_email")).toHaveAttribute("title", "Group key: dark");
    expect(group("podcast")).toHaveTextContent("Offline and audio");
    expect(group("custom")).toHaveTextContent("partner");
    expect(screen.getByRole("checkbox", { name: "personal_email is dark social" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "community is dark social" })).not.toBeChecked();
    expect(screen.getByRole("rowheader", { name: "personal_email" })).toHaveClass("muted");
  });

  it("shows a viewer the same words", async () => {
    renderPage(<ChannelsPage />, { server: server(VIEWER), path: "/settings/channels" });
    await screen.findByRole("rowheader", { name: "community" });
    expect([...rowOf("community").querySelectorAll("td")].map((td) => td.textContent)).toEqual(["Private communities", "Private sharing", "No"]);
  });
});
