/** Sign in with email and password. */
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import { ErrorMessage } from "../components/error-message.tsx";

export function SignInPage({ onSignedIn }: { onSignedIn(): void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  return (
    <main className="centred auth">
      <h1>Sign in to Hearth</h1>
      <form
        className="stacked"
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          setBusy(true);
          api
            .login(email, password)
            .then(onSignedIn)
            .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)))
            .finally(() => setBusy(false));
        }}
      >
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
