import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../lib/api.ts";
import { signedIn, useApi, useSession } from "../lib/session.tsx";
import type { Session } from "../lib/types.ts";

/** Only same-site paths are followed after sign-in (never an absolute URL from the query). */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));

  if (session.data) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: { email?: string; password?: string } = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) problems.email = "Enter the email address you were invited with.";
    if (!password) problems.password = "Enter your password.";
    setFieldErrors(problems);
    if (problems.email || problems.password) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<Session>("/api/session", { email: email.trim(), password });
      signedIn(api, queryClient, result);
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="signin-page" id="main">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          <span>Lantern</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">See where your customers really come from, dark social included.</p>
        <form onSubmit={submit} noValidate aria-describedby={error ? "signin-error" : undefined}>
          <div className="field">
            <label htmlFor="signin-email">Email</label>
            <input
              id="signin-email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={fieldErrors.email ? true : undefined}
              aria-describedby={fieldErrors.email ? "signin-email-error" : undefined}
              required
            />
            {fieldErrors.email ? (
              <p className="field-error" id="signin-email-error">
                {fieldErrors.email}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="signin-password">Password</label>
            <input
              id="signin-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={fieldErrors.password ? "signin-password-error" : undefined}
              required
            />
            {fieldErrors.password ? (
              <p className="field-error" id="signin-password-error">
                {fieldErrors.password}
              </p>
            ) : null}
          </div>
          {error ? (
            <div className="notice notice-error" role="alert" id="signin-error">
              {error}
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
