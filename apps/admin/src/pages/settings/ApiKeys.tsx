import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { StatusBadge } from "../../components/Badges.tsx";
import { Card } from "../../components/Card.tsx";
import { CopyField } from "../../components/CopyButton.tsx";
import { Empty, Notice, QueryView } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { formatDate, formatRelative } from "../../lib/format.ts";
import { useApi, useCanWrite } from "../../lib/session.tsx";
import type { ApiKey, Link, LinkList, Scope } from "../../lib/types.ts";

const ALL_SCOPES: Scope[] = ["links:read", "links:write", "surveys:read", "surveys:write", "conversions:write", "reports:read", "admin"];
const SCOPE_HELP: Record<string, string> = {
  "links:read": "list links and their figures",
  "links:write": "create and change links",
  "surveys:read": "read surveys and responses",
  "surveys:write": "create surveys, label answers",
  "conversions:write": "report orders from your servers",
  "reports:read": "read reports",
  admin: "everything, including users and keys",
};

/** The server's own key comes from its environment: it works, but it is not a row here and cannot be revoked here. */
const ENV_KEY_NOTE = "Keys created here. The key set in the server's environment (LANTERN_API_KEY) is accepted too; it is not listed here and is changed only there.";

/** The links service's public address, from a short link it made: its short URLs are `<address>/<slug>`. */
export function linksServiceUrl(link: Pick<Link, "shortUrl" | "slug">): string | null {
  const tail = `/${link.slug}`;
  return link.shortUrl.endsWith(tail) && /^https?:\/\//.test(link.shortUrl) ? link.shortUrl.slice(0, -tail.length) : null;
}

/** Where a server reports orders with a conversions:write key: the links service's /api/conversions. */
function OrdersHint() {
  const api = useApi();
  const links = useQuery({ queryKey: ["links-service-url"], queryFn: () => api.get<LinkList>("/api/links", { limit: 1, archived: "all" }), staleTime: Number.POSITIVE_INFINITY, retry: false });
  const first = links.data?.data[0];
  const base = first ? linksServiceUrl(first) : null;
  return (
    <p className="hint">
      To report orders from your server, send them with this key to {base ? <code>POST {base}/api/conversions</code> : <>the links service's <code>POST /api/conversions</code></>}.
    </p>
  );
}

export function ApiKeysPage() {
  if (!useCanWrite()) {
    return (
      <Card>
        <Empty title="Only admins manage API keys." />
      </Card>
    );
  }
  return <ApiKeysAdmin />;
}

export function ApiKeysAdmin() {
  const api = useApi();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => api.get<{ apiKeys: ApiKey[]; scopes: Scope[] }>("/api/api-keys") });
  const [created, setCreated] = useState<{ apiKey: ApiKey; key: string } | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api.del<{ apiKey: ApiKey }>(`/api/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });

  return (
    <>
      {created ? (
        <Card title="Your new API key" className="card-highlight">
          <Notice kind="info">
            Copy the key for “<strong>{created.apiKey.name}</strong>” now: it is shown only once. Lantern stores only a hash of it.
          </Notice>
          <CopyField value={created.key} what="API key" />
          <p className="hint">Use it as <code>Authorization: Bearer …</code> against the links, surveys and admin APIs.</p>
          {created.apiKey.scopes.includes("conversions:write") ? <OrdersHint /> : null}
          <button type="button" className="btn" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </Card>
      ) : (
        <CreateKeyForm scopes={keys.data?.scopes ?? ALL_SCOPES} onCreated={setCreated} />
      )}
      <Card title="Keys" description={ENV_KEY_NOTE}>
        {revoke.isError ? <Notice kind="error">{errorMessage(revoke.error)}</Notice> : null}
        <QueryView query={keys} loadingLabel="Loading keys…">
          {({ apiKeys }) =>
            apiKeys.length === 0 ? (
              <Empty title="No API keys created here yet." />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">API keys, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Key</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Status</th>
                      <th scope="col"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {apiKeys.map((k) => (
                      <tr key={k.id}>
                        <th scope="row">{k.name}</th>
                        <td className="mono small">{k.prefix}…</td>
                        <td>
                          <span className="tags">
                            {k.scopes.map((s) => (
                              <span key={s} className="tag">
                                {s}
                              </span>
                            ))}
                          </span>
                        </td>
                        <td className="nowrap">{formatDate(k.createdAt)}</td>
                        <td className="nowrap">{k.lastUsedAt ? formatRelative(k.lastUsedAt) : "never"}</td>
                        <td>
                          <StatusBadge status={k.revokedAt ? "revoked" : "active"} />
                        </td>
                        <td>
                          {k.revokedAt ? null : (
                            <button
                              type="button"
                              className="btn btn-small btn-ghost danger"
                              aria-label={`Revoke ${k.name}`}
                              disabled={revoke.isPending}
                              onClick={() => {
                                if (window.confirm(`Revoke "${k.name}"? Programs using it stop working within 30 seconds.`)) revoke.mutate(k.id);
                              }}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </Card>
    </>
  );
}

function CreateKeyForm({ scopes, onCreated }: { scopes: Scope[]; onCreated: (r: { apiKey: ApiKey; key: string }) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>(["links:read", "links:write"]);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const create = useMutation({
    mutationFn: () => api.post<{ apiKey: ApiKey; key: string }>("/api/api-keys", { name: name.trim(), scopes: chosen }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
      setName("");
      onCreated(r);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: typeof errors = {};
    if (!name.trim()) problems.name = "Name the key after what will use it, e.g. “checkout server”.";
    if (chosen.length === 0) problems.scopes = "Pick at least one scope.";
    setErrors(problems);
    if (!problems.name && !problems.scopes) create.mutate();
  };
  return (
    <Card title="Create an API key" description="For servers and scripts: creating links, sending survey answers from your checkout, reading reports.">
      <form onSubmit={submit} noValidate aria-label="Create an API key">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? `${id}-name-error` : undefined} />
          {errors.name ? (
            <p className="field-error" id={`${id}-name-error`}>
              {errors.name}
            </p>
          ) : null}
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          <div className="checks checks-grid">
            {scopes.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))} />
                <span>
                  <code>{s}</code> <span className="muted small">{SCOPE_HELP[s] ?? ""}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.scopes ? <p className="field-error">{errors.scopes}</p> : null}
        </fieldset>
        {create.isError ? <Notice kind="error">{errorMessage(create.error)}</Notice> : null}
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </form>
    </Card>
  );
}
