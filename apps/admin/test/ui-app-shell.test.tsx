// The top bar shows the date-range picker only on pages whose figures follow the range.
import { act, cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AppShell } from "../src/components/AppShell.tsx";
import { ADMIN, fakeServer, renderApp } from "./ui-harness.tsx";

afterEach(cleanup);

const shell = [{ path: "/", element: <AppShell session={ADMIN} />, children: [{ path: "*", element: <p>the page</p> }, { index: true, element: <p>the page</p> }] }];

describe("the date-range picker in the top bar", () => {
  const withPicker = ["/", "/attribution", "/attribution/campaigns", "/attribution/conversions", "/links", "/links/L1", "/surveys/s1"];
  const without = ["/settings", "/settings/channels", "/settings/privacy", "/settings/users", "/system", "/surveys", "/surveys/new", "/surveys/s1/edit", "/links/new", "/nope"];

  it("is there on Overview, Attribution, Links (list and one link) and a survey's page", async () => {
    const { router } = renderApp(shell, { server: fakeServer(), path: "/?range=90d" });
    for (const path of withPicker) {
      await act(() => router.navigate(`${path}?range=90d`));
      expect(screen.getByText("the page")).toBeInTheDocument();
      expect(screen.getByRole("combobox", { name: "Date range" })).toHaveValue("90d");
    }
  });

  it("is left out where it changes nothing, and the range still goes with the navigation", async () => {
    const { router } = renderApp(shell, { server: fakeServer(), path: "/system?range=90d" });
    for (const path of without) {
      await act(() => router.navigate(`${path}?range=90d`));
      expect(screen.getByText("the page")).toBeInTheDocument();
      expect(screen.queryByRole("combobox", { name: "Date range" })).not.toBeInTheDocument();
      expect(screen.getByRole("link", { name: /Overview/ })).toHaveAttribute("href", "/?range=90d");
    }
  });
});
