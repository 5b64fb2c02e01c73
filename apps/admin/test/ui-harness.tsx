/**
 * Renders real pages of the SPA with a real QueryClient and router. The network is a canned-answer
 * fetch handed to the api module (dependency injection), which records every request so tests can
 * check what the UI sent. This stands in for the admin server only in these component tests; the
 * end-to-end test drives the real server in Chromium, and `inProcessServer` hands the same pages the
 * real admin app in this process (ui-real-server.test.tsx), so canned answers cannot drift from it.
 */
import "@testing-library/jest-dom/vitest";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { createApi, type FetchFn } from "../src/lib/api.ts";
import { useSession } from "../src/lib/session.tsx";
import type { Session } from "../src/lib/types.ts";
import { createQueryClient, Providers } from "../src/providers.tsx";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = (req: Recorded) => Answer | Promise<Answer>;

export interface FakeServer {
  fetch: FetchFn;
  calls: Recorded[];
  on(method: string, path: string | RegExp, handler: Handler | Answer): FakeServer;
  /** Requests made with this method to this exact path. */
  sent(method: string, path: string): Recorded[];
}

export const ADMIN: Session = { user: { id: "u_admin", email: "ada@example.com", role: "admin" }, csrfToken: "csrf-123", expiresAt: Date.UTC(2030, 0, 1) };
export const VIEWER: Session = { user: { id: "u_viewer", email: "vic@example.com", role: "viewer" }, csrfToken: "csrf-456", expiresAt: Date.UTC(2030, 0, 1) };

export function fakeServer(session: Session | null = ADMIN): FakeServer {
  const routes: { method: string; path: string | RegExp; handler: Handler }[] = [];
  const calls: Recorded[] = [];
  const server: FakeServer = {
    calls,
    on(method, path, handler) {
      // Later registrations win, so a test can override a default answer.
      routes.unshift({ method, path, handler: typeof handler === "function" ? handler : () => handler });
      return server;
    },
    sent: (method, path) => calls.filter((c) => c.method === method && c.path === path),
    fetch: async (input, init = {}) => {
      const url = new URL(input, "http://admin.test");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((init.headers as Record<string, string>) ?? {})) headers[k.toLowerCase()] = v;
      const req: Recorded = {
        method: init.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      };
      calls.push(req);
      const route = routes.find((r) => r.method === req.method && (typeof r.path === "string" ? r.path === req.path : r.path.test(req.path)));
      const answer: Answer = route ? await route.handler(req) : { status: 404, body: { error: { code: "not_found", message: `No route ${req.method} ${req.path}`, requestId: "t" } } };
      const status = answer.status ?? 200;
      if (status === 204) return new Response(null, { status });
      return new Response(JSON.stringify(answer.body ?? {}), { status, headers: { "content-type": "application/json", ...(answer.headers ?? {}) } });
    },
  };
  server.on("GET", "/api/session", () => (session ? { body: session } : { status: 401, body: { error: { code: "unauthorized", message: "Sign in first.", requestId: "t" } } }));
  server.on("GET", "/api/channels", { status: 404, body: { error: { code: "not_found", message: "use defaults", requestId: "t" } } });
  return server;
}

/** What the pages are rendered against: a fake server, or the real app in this process. */
export type Server = Pick<FakeServer, "fetch">;

/**
 * Each request of the SPA handed to the real admin app (`createApp(...).request`) in this process,
 * with `headers` added (a session cookie or an API key).
 */
export function inProcessServer(app: { request(path: string, init: RequestInit): Response | Promise<Response> }, headers: Record<string, string>): Server {
  return { fetch: (input, init = {}) => Promise.resolve(app.request(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } })) };
}

/** Like the app's RequireSession: pages render once the session (and its CSRF token) is known. */
function WithSession({ children }: { children: ReactNode }) {
  const session = useSession();
  return session.isPending ? null : children;
}

/** Renders `element` at `path` (matching `pattern`), plus any extra routes, inside the app's providers. */
export function renderPage(element: ReactNode, opts: { server: Server; path?: string; pattern?: string; routes?: RouteObject[] }) {
  const api = createApi({ fetch: opts.server.fetch });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter([{ path: opts.pattern ?? (opts.path ?? "/").split("?")[0], element: <WithSession>{element}</WithSession> }, ...(opts.routes ?? [])], { initialEntries: [opts.path ?? "/"] });
  const view = render(
    <Providers api={api} queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, router, api, queryClient };
}

/** Renders the app's own route table at `path`. */
export function renderApp(routes: RouteObject[], opts: { server: Server; path: string }) {
  const api = createApi({ fetch: opts.server.fetch });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [opts.path] });
  const view = render(
    <Providers api={api} queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, router, api, queryClient };
}
