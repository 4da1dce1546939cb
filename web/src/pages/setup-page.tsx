/** First run: creates the admin account and the first workspace. */
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import { ErrorMessage } from "../components/error-message.tsx";

export function SetupPage({ onDone }: { onDone(): void }) {
  const [fields, setFields] = useState({ name: "", email: "", password: "", workspaceName: "" });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof fields) => (event: { target: { value: string } }) => setFields({ ...fields, [key]: event.target.value });

  return (
    <main className="centred auth">
      <h1>Welcome to Hearth</h1>
      <p>Create the first account. It becomes the admin of your first workspace, who can add colleagues later.</p>
      <form
        className="stacked"
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          setBusy(true);
          api
            .setup(fields)
            .then(onDone)
            .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)))
            .finally(() => setBusy(false));
        }}
      >
        <label htmlFor="setup-name">Your name</label>
        <input id="setup-name" autoComplete="name" value={fields.name} onChange={set("name")} required />
        <label htmlFor="setup-email">Email</label>
        <input id="setup-email" type="email" autoComplete="username" value={fields.email} onChange={set("email")} required />
        <label htmlFor="setup-password">Password (at least 10 characters)</label>
        <input
          id="setup-password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          value={fields.password}
          onChange={set("password")}
          required
        />
        <label htmlFor="setup-workspace">Workspace name (your organisation or team)</label>
        <input id="setup-workspace" value={fields.workspaceName} onChange={set("workspaceName")} required />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
    </main>
  );
}
