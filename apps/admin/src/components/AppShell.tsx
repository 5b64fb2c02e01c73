import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect, useRef, useState } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../lib/api.ts";
import { rangeSearch } from "../lib/range.ts";
import { signedOut, useApi, useSession } from "../lib/session.tsx";
import type { Session } from "../lib/types.ts";
import { DateRangePicker } from "./DateRangePicker.tsx";
import { ErrorState, Loading } from "./States.tsx";

const NAV = [
  { to: "/", label: "Overview", icon: "◎", end: true },
  { to: "/links", label: "Links", icon: "↗" },
  { to: "/surveys", label: "Surveys", icon: "?" },
  { to: "/attribution", label: "Attribution", icon: "≡" },
  { to: "/settings", label: "Settings", icon: "⚙" },
  { to: "/system", label: "System", icon: "◷" },
] as const;

/**
 * The pages whose figures follow the date range: Overview, Attribution, the links list and a link,
 * a survey. Elsewhere (settings, system, the survey list and editor, the link form) the picker would
 * change nothing, so the top bar leaves it out; the range still rides along in the URL.
 */
const RANGE_PAGES = [/^\/$/, /^\/attribution(\/.*)?$/, /^\/links\/?$/, /^\/links\/(?!new\/?$)[^/]+\/?$/, /^\/surveys\/(?!new\/?$)[^/]+\/?$/];

export function pageUsesRange(pathname: string): boolean {
  return RANGE_PAGES.some((re) => re.test(pathname));
}

/** Pages that need a session render inside this; signed-out visitors go to the sign-in page. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.isError) {
    return (
      <main className="center-page">
        <ErrorState error={session.error} retry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <AppShell session={session.data} />;
}

export function AppShell({ session }: { session: Session }) {
  const [params] = useSearchParams();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const search = rangeSearch(params);

  // A phone's drawer closes once a page is chosen.
  const path = location.pathname;
  useEffect(() => {
    if (path) setMenuOpen(false);
  }, [path]);

  return (
    <div className={`shell ${menuOpen ? "nav-open" : ""}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar" id="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Lantern</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={{ pathname: item.to, search }} end={"end" in item ? item.end : false} className={({ isActive }) => (isActive ? "nav-link is-active" : "nav-link")}>
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <p className="sidebar-foot muted small">Dark social, measured.</p>
      </aside>
      {menuOpen ? <button type="button" className="scrim" aria-label="Close the menu" onClick={() => setMenuOpen(false)} /> : null}
      <div className="main-col">
        <header className="topbar">
          <button type="button" className="btn btn-ghost menu-toggle" aria-controls="sidebar" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>
            <span aria-hidden="true">☰</span>
            <span className="sr-only">Menu</span>
          </button>
          {pageUsesRange(path) ? <DateRangePicker /> : <span className="topbar-spacer" />}
          <UserMenu session={session} />
        </header>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

function UserMenu({ session }: { session: Session }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const who = session.user?.email ?? "API key";
  const role = session.user?.role ?? (session.apiKey?.scopes.includes("admin") ? "admin" : "viewer");

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del("/api/session");
      // Leave the page before the session is cleared, or the session guard would send the next person
      // to sign in back to this page (?next=...), which is the previous user's.
      navigate("/sign-in", { replace: true });
      signedOut(api, queryClient);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="user-menu" ref={ref}>
      <button type="button" className="btn btn-ghost user-button" aria-haspopup="true" aria-expanded={open} aria-controls="user-menu-panel" onClick={() => setOpen((o) => !o)}>
        <span className="avatar" aria-hidden="true">
          {who.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-email">{who}</span>
      </button>
      {open ? (
        <div className="menu-panel" id="user-menu-panel">
          <p className="menu-who">
            <strong>{who}</strong>
            <span className="badge">{role}</span>
          </p>
          {role === "viewer" ? <p className="muted small">You can look at everything; an admin can change things.</p> : null}
          <button type="button" className="btn btn-block" onClick={signOut} disabled={busy}>
            {busy ? "Signing out…" : "Sign out"}
          </button>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
