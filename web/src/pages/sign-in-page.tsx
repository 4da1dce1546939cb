/** Sign in with email and password, or set a new password with a one-time code from an admin. */
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import { ErrorMessage } from "../components/error-message.tsx";

function message(failure: unknown): string {
  return failure instanceof ApiError ? failure.message : String(failure);
}

export function SignInPage({ onSignedIn }: { onSignedIn(): void }) {
  const [mode, setMode] = useState<"password" | "code">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = (action: Promise<unknown>): void => {
    setError(undefined);
    setBusy(true);
    action
      .then(onSignedIn)
      .catch((failure: unknown) => setError(message(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <main className="centred auth">
      <h1>{mode === "password" ? "Sign in to Hearth" : "Set a new password"}</h1>
      <form
        className="stacked"
        onSubmit={(event) => {
          event.preventDefault();
          run(mode === "password" ? api.login(email, password) : api.resetPassword({ email, code, password }));
        }}
      >
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        {mode === "code" && (
          <>
            <label htmlFor="sign-in-code">One-time code from your admin</label>
            <input id="sign-in-code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          </>
        )}
        <label htmlFor="sign-in-password">{mode === "password" ? "Password" : "New password (at least 10 characters)"}</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete={mode === "password" ? "current-password" : "new-password"}
          minLength={mode === "code" ? 10 : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Please wait…" : mode === "password" ? "Sign in" : "Set password and sign in"}
        </button>
      </form>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setMode(mode === "password" ? "code" : "password");
          setError(undefined);
          setPassword("");
        }}
      >
        {mode === "password" ? "I have a reset code" : "Back to sign in"}
      </button>
    </main>
  );
}
