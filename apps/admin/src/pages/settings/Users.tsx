import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { StatusBadge } from "../../components/Badges.tsx";
import { Card } from "../../components/Card.tsx";
import { Empty, Notice, QueryView } from "../../components/States.tsx";
import { errorMessage } from "../../lib/api.ts";
import { formatDate } from "../../lib/format.ts";
import { useApi, useCanWrite, useSession } from "../../lib/session.tsx";
import type { Role, User } from "../../lib/types.ts";

export function UsersPage() {
  if (!useCanWrite()) {
    return (
      <Card>
        <Empty title="Only admins manage users." />
      </Card>
    );
  }
  return <UsersAdmin />;
}

function UsersAdmin() {
  const api = useApi();
  const queryClient = useQueryClient();
  const me = useSession().data?.user?.id;
  const users = useQuery({ queryKey: ["users"], queryFn: () => api.get<{ users: User[] }>("/api/users") });
  const change = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: Role; disabled?: boolean } }) => api.patch<{ user: User }>(`/api/users/${encodeURIComponent(id)}`, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
  return (
    <>
      <InviteForm />
      <Card title="Users">
        {change.isError ? <Notice kind="error">{errorMessage(change.error)}</Notice> : null}
        <QueryView query={users} loadingLabel="Loading users…">
          {({ users: list }) => (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Users, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Since</th>
                    <th scope="col">Status</th>
                    <th scope="col"><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">
                        {u.email}
                        {u.id === me ? <span className="muted small"> (you)</span> : null}
                      </th>
                      <td>
                        <select aria-label={`Role of ${u.email}`} value={u.role} disabled={change.isPending} onChange={(e) => change.mutate({ id: u.id, patch: { role: e.target.value as Role } })}>
                          <option value="admin">Admin</option>
                          <option value="viewer">Viewer</option>
                        </select>
                      </td>
                      <td className="nowrap">{formatDate(u.createdAt)}</td>
                      <td>
                        <StatusBadge status={u.disabledAt ? "disabled" : "active"} />
                      </td>
                      <td>
                        {u.id === me ? null : (
                          <button
                            type="button"
                            className={`btn btn-small btn-ghost ${u.disabledAt ? "" : "danger"}`}
                            aria-label={`${u.disabledAt ? "Enable" : "Disable"} ${u.email}`}
                            disabled={change.isPending}
                            onClick={() => change.mutate({ id: u.id, patch: { disabled: !u.disabledAt } })}
                          >
                            {u.disabledAt ? "Enable" : "Disable"}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </Card>
    </>
  );
}

function InviteForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () => api.post<{ user: User }>("/api/users", { email: email.trim(), role, password }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["users"] });
      setEmail("");
      setPassword("");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setProblem("Enter an email address.");
    if (password.length < 10 || password.length > 200) return setProblem("The first password needs 10 to 200 characters.");
    setProblem(null);
    invite.mutate();
  };
  return (
    <Card title="Invite a user" description="Give them the first password through a private channel; they can sign in at once.">
      <form className="field-row field-row-end" onSubmit={submit} noValidate aria-label="Invite a user">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="viewer">Viewer (read only)</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>First password</label>
          <input id={`${id}-password`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="field field-actions">
          <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
            {invite.isPending ? "Inviting…" : "Invite"}
          </button>
        </div>
      </form>
      {problem ? <p className="field-error" role="alert">{problem}</p> : null}
      {invite.isError ? <Notice kind="error">{errorMessage(invite.error)}</Notice> : null}
      {invite.isSuccess ? <Notice kind="success">{invite.data.user.email} can sign in now.</Notice> : null}
    </Card>
  );
}
