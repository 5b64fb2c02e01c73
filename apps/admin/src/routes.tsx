import type { RouteObject } from "react-router";
import { isRouteErrorResponse, useRouteError } from "react-router";
import { RequireSession } from "./components/AppShell.tsx";
import { Loading } from "./components/States.tsx";
import { NotFoundPage } from "./pages/NotFound.tsx";
import { SignInPage } from "./pages/SignIn.tsx";

/**
 * Every page behind the sign-in is its own chunk, loaded when first visited: the sign-in page and
 * the shell stay small, and chart code (recharts) only loads with the pages that draw charts.
 */
export const routes: RouteObject[] = [
  { path: "/sign-in", Component: SignInPage, ErrorBoundary: RouteError },
  {
    path: "/",
    Component: RequireSession,
    ErrorBoundary: RouteError,
    HydrateFallback: () => <Loading />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import("./pages/Overview.tsx")).OverviewPage }) },
      { path: "links", lazy: async () => ({ Component: (await import("./pages/links/LinksList.tsx")).LinksListPage }) },
      { path: "links/new", lazy: async () => ({ Component: (await import("./pages/links/LinkCreate.tsx")).LinkCreatePage }) },
      { path: "links/:id", lazy: async () => ({ Component: (await import("./pages/links/LinkDetail.tsx")).LinkDetailPage }) },
      { path: "surveys", lazy: async () => ({ Component: (await import("./pages/surveys/SurveysList.tsx")).SurveysListPage }) },
      { path: "surveys/new", lazy: async () => ({ Component: (await import("./pages/surveys/SurveyEditor.tsx")).SurveyEditorPage }) },
      { path: "surveys/:id", lazy: async () => ({ Component: (await import("./pages/surveys/SurveyDetail.tsx")).SurveyDetailPage }) },
      { path: "surveys/:id/edit", lazy: async () => ({ Component: (await import("./pages/surveys/SurveyEditor.tsx")).SurveyEditorPage }) },
      {
        path: "attribution",
        lazy: async () => ({ Component: (await import("./pages/attribution/Attribution.tsx")).AttributionLayout }),
        children: [
          { index: true, lazy: async () => ({ Component: (await import("./pages/attribution/Attribution.tsx")).ChannelsTab }) },
          { path: "campaigns", lazy: async () => ({ Component: (await import("./pages/attribution/Attribution.tsx")).CampaignsTab }) },
          { path: "conversions", lazy: async () => ({ Component: (await import("./pages/attribution/Attribution.tsx")).ConversionsTab }) },
        ],
      },
      {
        path: "settings",
        lazy: async () => ({ Component: (await import("./pages/settings/Settings.tsx")).SettingsLayout }),
        children: [
          { index: true, lazy: async () => ({ Component: (await import("./pages/settings/ApiKeys.tsx")).ApiKeysPage }) },
          { path: "channels", lazy: async () => ({ Component: (await import("./pages/settings/Channels.tsx")).ChannelsPage }) },
          { path: "privacy", lazy: async () => ({ Component: (await import("./pages/settings/Privacy.tsx")).PrivacyPage }) },
          { path: "users", lazy: async () => ({ Component: (await import("./pages/settings/Users.tsx")).UsersPage }) },
        ],
      },
      { path: "system", lazy: async () => ({ Component: (await import("./pages/System.tsx")).SystemPage }) },
      { path: "*", Component: NotFoundPage },
    ],
  },
];

/** A page that failed to render or load (e.g. a chunk gone after an upgrade): say so, offer a reload. */
function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : "Unknown error";
  return (
    <main className="center-page" id="main">
      <div className="state state-error" role="alert">
        <p className="state-title">This page could not be shown.</p>
        <p className="state-body">{message}</p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </main>
  );
}
