import { NavLink, Outlet, useSearchParams } from "react-router";
import { PageHeader } from "../../components/Card.tsx";
import { rangeSearch } from "../../lib/range.ts";

export function SettingsLayout() {
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const tab = ({ isActive }: { isActive: boolean }) => (isActive ? "tab is-active" : "tab");
  return (
    <div className="page">
      <PageHeader title="Settings" />
      <nav className="tabs" aria-label="Settings sections">
        <NavLink to={{ pathname: "/settings", search }} end className={tab}>
          API keys
        </NavLink>
        <NavLink to={{ pathname: "/settings/channels", search }} className={tab}>
          Channels
        </NavLink>
        <NavLink to={{ pathname: "/settings/privacy", search }} className={tab}>
          Privacy
        </NavLink>
        <NavLink to={{ pathname: "/settings/users", search }} className={tab}>
          Users
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
