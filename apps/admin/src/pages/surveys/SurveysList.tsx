import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { StatusBadge } from "../../components/Badges.tsx";
import { Card, PageHeader } from "../../components/Card.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Empty, QueryView } from "../../components/States.tsx";
import { formatDate } from "../../lib/format.ts";
import { rangeSearch } from "../../lib/range.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import type { Survey } from "../../lib/types.ts";

export function SurveysListPage() {
  const api = useApi();
  const canWrite = useCanWrite();
  // The date range goes with every link, so a survey's figures open for the range being looked at.
  const [params] = useSearchParams();
  const search = rangeSearch(params);
  const surveys = useQuery({ queryKey: ["surveys", "list"], queryFn: () => api.get<{ data: Survey[] }>("/api/surveys") });
  return (
    <div className="page">
      <PageHeader
        title="Surveys"
        description="“How did you hear about us?” at conversion time: what customers say, including the channels tracking cannot see."
        actions={
          canWrite ? (
            <Link className="btn btn-primary" to={`/surveys/new${search}`}>
              New survey
            </Link>
          ) : null
        }
      />
      <Card>
        <QueryView query={surveys} loadingLabel="Loading surveys…">
          {({ data }) =>
            data.length === 0 ? (
              <Empty title="No surveys yet.">{canWrite ? <Link to={`/surveys/new${search}`}>Create the first one</Link> : "An admin can create one."}</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">Surveys</caption>
                  <thead>
                    <tr>
                      <th scope="col">Survey</th>
                      <th scope="col" className="num">
                        Answer options
                      </th>
                      <th scope="col">Status</th>
                      <th scope="col">Hosted page</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((s) => {
                      const question = s.question[s.defaultLocale] ?? Object.values(s.question)[0];
                      return (
                        <tr key={s.id}>
                          <td>
                            <Link to={`/surveys/${s.id}${search}`} className="strong">
                              {s.name}
                            </Link>
                            {/* A survey named after its question would say the same thing twice. */}
                            {question && question.trim() !== s.name.trim() ? <div className="muted small">{question}</div> : null}
                          </td>
                          <td className="num">{s.options.length}</td>
                          <td>
                            <StatusBadge status={s.archivedAt ? "archived" : s.active ? "active" : "paused"} />
                          </td>
                          <td>
                            <CopyButton value={s.hostedUrl} label="Copy URL" what={`hosted page of ${s.name}`} />
                          </td>
                          <td className="nowrap">{formatDate(s.updatedAt)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </Card>
    </div>
  );
}
