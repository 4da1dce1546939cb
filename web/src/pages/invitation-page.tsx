/**
 * The page an invitation link opens (/invitation/<token>): which workspace and role, then either creating the
 * account for the invited email or, when it has one, signing in (the invitation then waits on the signed-in page).
 */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import { withArticle } from "../format.ts";
import type { Invitation } from "../api-types.ts";
import { ErrorMessage } from "../components/error-message.tsx";

function message(failure: unknown): string {
  return failure instanceof ApiError ? failure.message : String(failure);
}

export function InvitationPage({ token, onJoined, onSignIn }: { token: string; onJoined(): void; onSignIn(): void }) {
  const [found, setFound] = useState<{ invitation: Invitation; hasAccount: boolean }>();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .lookupInvitation(token)
      .then(setFound)
      .catch((failure: unknown) => setError(message(failure)));
  }, [token]);

  return (
    <main className="centred auth">
      <h1>Join a Hearth workspace</h1>
      <ErrorMessage message={error} />
      {found && (
        <p>
          You are invited to <strong>{found.invitation.workspace.name}</strong> as {withArticle(found.invitation.role)}, as{" "}
          {found.invitation.email}.
        </p>
      )}
      {found && found.hasAccount && (
        <button type="button" onClick={onSignIn}>
          Sign in to accept
        </button>
      )}
      {found && !found.hasAccount && (
        <form
          className="stacked"
          onSubmit={(event) => {
            event.preventDefault();
            setBusy(true);
            setError(undefined);
            api
              .signUpWithInvitation({ token, name, password })
              .then(onJoined)
              .catch((failure: unknown) => setError(message(failure)))
              .finally(() => setBusy(false));
          }}
        >
          <label htmlFor="invitation-name">Your name</label>
          <input id="invitation-name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} required />
          <label htmlFor="invitation-password">Choose a password (at least 10 characters)</label>
          <input
            id="invitation-password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
          <button type="submit" disabled={busy}>
            {busy ? "Please wait…" : "Create my account and join"}
          </button>
        </form>
      )}
    </main>
  );
}
