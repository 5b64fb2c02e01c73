import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { type Api, ApiError } from "./api.ts";
import type { Session } from "./types.ts";

const ApiContext = createContext<Api | null>(null);

export const SESSION_KEY = ["session"] as const;

/** Makes the api available to every component, and signs the UI out when the server says 401. */
export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    api.onUnauthorized(() => signedOut(api, queryClient));
    return () => api.onUnauthorized(null);
  }, [api, queryClient]);
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside <ApiProvider>");
  return api;
}

/** Forgets everything the signed-in user could see; the router then shows the sign-in page. */
export function signedOut(api: Api, queryClient: QueryClient) {
  api.setCsrfToken(null);
  queryClient.cancelQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  queryClient.setQueryData(SESSION_KEY, null);
}

/** Remembers a session (from sign-in or GET /api/session) and its CSRF token. */
export function signedIn(api: Api, queryClient: QueryClient, session: Session) {
  api.setCsrfToken(session.csrfToken);
  queryClient.setQueryData(SESSION_KEY, session);
}

/** Who is signed in: a Session, null when signed out, undefined while loading. */
export function useSession() {
  const api = useApi();
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        const session = await api.get<Session>("/api/session");
        api.setCsrfToken(session.csrfToken);
        return session;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Admins may write; viewers only read (the server enforces it too, this just hides the buttons). */
export function canWrite(session: Session | null | undefined): boolean {
  if (!session) return false;
  if (session.user) return session.user.role === "admin";
  return session.apiKey?.scopes.includes("admin") ?? false;
}

export function useCanWrite(): boolean {
  return canWrite(useSession().data);
}
