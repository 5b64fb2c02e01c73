import { Link } from "react-router";
import { Empty } from "../components/States.tsx";

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Not found</h1>
      <Empty title="There is no page here.">
        <Link to="/">Go to the overview</Link>
      </Empty>
    </div>
  );
}
