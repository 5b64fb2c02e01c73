/**
 * The one way the SPA talks to its server: same origin, JSON, the CSRF token on every write, and
 * `{ error: { message } }` answers turned into thrown ApiErrors whose message can be shown as is.
 * The fetch function is passed in, so component tests can hand canned answers to the real UI.
 */

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, requestId: string | null = null, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `path?a=1&b=2`, leaving out empty values so defaults stay the server's. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  if (!qs) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${qs}`;
}

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** The token from GET /api/session, sent as X-CSRF-Token on writes. */
  setCsrfToken(token: string | null): void;
  /** Called when the server says the session is gone (401), except on the sign-in call itself. */
  onUnauthorized(handler: (() => void) | null): void;
}

export interface ApiOptions {
  fetch?: FetchFn;
}

const SIGN_IN_PATH = "/api/session";

async function errorFrom(res: Response): Promise<ApiError> {
  const requestId = res.headers.get("x-request-id");
  let body: unknown = null;
  try {
    body = (res.headers.get("content-type") ?? "").includes("json") ? await res.json() : await res.text();
  } catch {
    body = null;
  }
  const err = (body as { error?: { code?: string; message?: string; requestId?: string; details?: unknown } } | null)?.error;
  if (err && typeof err.message === "string") {
    return new ApiError(res.status, err.code ?? "error", err.message, err.requestId ?? requestId, err.details);
  }
  const fallback =
    res.status === 502 || res.status === 503 || res.status === 504
      ? "A service behind the admin server is not answering. Try again in a moment."
      : `${`The server answered ${res.status} ${res.statusText || ""}`.trim()}.`;
  return new ApiError(res.status, res.status === 401 ? "unauthorized" : "error", fallback, requestId);
}

export function createApi(options: ApiOptions = {}): Api {
  const doFetch: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let csrfToken: string | null = null;
  let unauthorized: (() => void) | null = null;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET" && method !== "HEAD" && csrfToken) headers["x-csrf-token"] = csrfToken;
    let res: Response;
    try {
      res = await doFetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
    }
    if (!res.ok) {
      const error = await errorFrom(res);
      if (res.status === 401 && !(path === SIGN_IN_PATH && method !== "GET")) unauthorized?.();
      throw error;
    }
    if (res.status === 204) return undefined as T;
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("json")) return (await res.text()) as T;
    return (await res.json()) as T;
  }

  return {
    get: (path, query) => request("GET", withQuery(path, query)),
    post: (path, body) => request("POST", path, body ?? {}),
    put: (path, body) => request("PUT", path, body ?? {}),
    patch: (path, body) => request("PATCH", path, body ?? {}),
    del: (path) => request("DELETE", path),
    setCsrfToken(token) {
      csrfToken = token;
    },
    onUnauthorized(handler) {
      unauthorized = handler;
    },
  };
}

/** A message for any thrown value, for error states. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong.";
}
