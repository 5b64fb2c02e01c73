// Sign-in form, the redirect of signed-out visitors, and sign-out.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "@testing-library/react";
import { routes } from "../src/routes.tsx";
import { ADMIN, fakeServer, renderApp, VIEWER } from "./ui-harness.tsx";

afterEach(cleanup);

const emptyOverview = {
  range: { from: 0, to: 0, fromIso: "", toIso: "" },
  conversions: 0, value: 0, respondents: 0, responseRate: null, answers: 0, views: 0, answerRate: null,
  clicks: 0, unfurls: 0, reshares: 0, darkConversions: 0,
  darkShare: {
    respondents: { estimate: null, low: null, high: null, dark: 0, n: 0 },
    all: { estimate: null, low: null, high: null, coverage: null, missingStrata: [] },
    naive: { estimate: null },
    explanation: null,
  },
  topChannels: [],
};

describe("signing in", () => {
  it("sends a signed-out visitor to the sign-in page, then back to the page they asked for", async () => {
    let signedIn = false;
    const server = fakeServer(null);
    server.on("GET", "/api/session", () => (signedIn ? { body: ADMIN } : { status: 401, body: { error: { code: "unauthorized", message: "Sign in first.", requestId: "r" } } }));
    server.on("POST", "/api/session", () => {
      signedIn = true;
      return { body: ADMIN };
    });
    server.on("GET", "/api/links", { body: { data: [], nextCursor: null } });
    server.on("GET", "/api/reports/links", { status: 503, body: { error: { code: "unavailable", message: "down", requestId: "r" } } });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp(routes, { server, path: "/links?range=7d" });

    await screen.findByRole("heading", { name: "Sign in" });
    expect(router.state.location.pathname).toBe("/sign-in");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await screen.findByRole("heading", { name: "Links" });
    expect(router.state.location.pathname).toBe("/links");
    expect(router.state.location.search).toBe("?range=7d");
    expect(server.sent("POST", "/api/session")[0]!.body).toEqual({ email: "ada@example.com", password: "correct horse battery" });
  });

  it("shows the server's message on a wrong password and stays on the sign-in page", async () => {
    const server = fakeServer(null).on("POST", "/api/session", { status: 401, body: { error: { code: "unauthorized", message: "Wrong email or password.", requestId: "r" } } });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp(routes, { server, path: "/sign-in" });
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "nope-nope-nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(router.state.location.pathname).toBe("/sign-in");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("explains an empty form next to its fields and sends nothing", async () => {
    const server = fakeServer(null);
    const user = userEvent.setup({ delay: null });
    renderApp(routes, { server, path: "/sign-in" });
    await user.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter the email address you were invited with.");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Enter your password.");
    expect(server.sent("POST", "/api/session")).toHaveLength(0);
  });

  it("does not follow a next= that leads to another site", async () => {
    const server = fakeServer(null).on("POST", "/api/session", { body: ADMIN });
    server.on("GET", "/api/reports/overview", { body: emptyOverview });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp(routes, { server, path: "/sign-in?next=//evil.example/phish" });
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
  });

  it("signs out with the CSRF token and returns to the sign-in page", async () => {
    const server = fakeServer(VIEWER).on("DELETE", "/api/session", { status: 204 });
    server.on("GET", "/api/reports/overview", { body: emptyOverview });
    const user = userEvent.setup({ delay: null });
    const { router } = renderApp(routes, { server, path: "/" });
    await user.click(await screen.findByRole("button", { name: /vic@example.com/ }));
    expect(screen.getByText("viewer")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByRole("heading", { name: "Sign in" });
    expect(router.state.location.pathname).toBe("/sign-in");
    expect(server.sent("DELETE", "/api/session")[0]!.headers["x-csrf-token"]).toBe("csrf-456");
  });
});
