import { type Query, withQuery } from "../lib/api.ts";

/** A download of the CSV variant of a report (the server sends it as an attachment). */
export function CsvLink({ path, query, label = "Export CSV", what }: { path: string; query?: Query; label?: string; what?: string }) {
  return (
    <a className="btn btn-small" href={withQuery(path, query)} download aria-label={what ? `${label}: ${what}` : label}>
      <span aria-hidden="true">↓ </span>
      {label}
    </a>
  );
}
