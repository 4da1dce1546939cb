/** The signed-in person's own account: change password, sign out on every device, delete the account. */
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { User } from "../api-types.ts";

function message(failure: unknown): string {
  return failure instanceof ApiError ? failure.message : String(failure);
}

export function AccountPanel({ user, onSignedOut }: { user: User; onSignedOut(): void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirmPassword, setConfirmPassword] = useState("");
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const report = (action: Promise<unknown>, success: string, after?: () => void): void => {
    setStatus(undefined);
    action
      .then(() => {
        setStatus({ ok: true, text: success });
        after?.();
      })
      .catch((failure: unknown) => setStatus({ ok: false, text: message(failure) }));
  };

  return (
    <section aria-labelledby="account-heading" className="account">
      <h2 id="account-heading">Your account</h2>
      <p className="hint">
        Signed in as {user.name} ({user.email}){user.serverAdmin ? ", an admin of this server" : ""}.
      </p>
      <form
        className="stacked"
        aria-label="Change password"
        onSubmit={(event) => {
          event.preventDefault();
          report(api.changePassword({ currentPassword: current, newPassword: next }), "Password changed; other devices are signed out.", () => {
            setCurrent("");
            setNext("");
          });
        }}
      >
        <h3>Change password</h3>
        <label htmlFor="account-current">Current password</label>
        <input id="account-current" type="password" autoComplete="current-password" value={current} onChange={(event) => setCurrent(event.target.value)} required />
        <label htmlFor="account-new">New password (at least 10 characters)</label>
        <input id="account-new" type="password" autoComplete="new-password" minLength={10} value={next} onChange={(event) => setNext(event.target.value)} required />
        <button type="submit">Change password</button>
      </form>
      <h3>Sign out everywhere</h3>
      <p className="hint">Ends every session of this account, on this device and all others (a lost phone, a shared computer).</p>
      <button type="button" onClick={() => report(api.logoutEverywhere(), "Signed out everywhere.", onSignedOut)}>
        Sign out everywhere
      </button>
      <form
        className="stacked"
        aria-label="Delete account"
        onSubmit={(event) => {
          event.preventDefault();
          if (!window.confirm("Delete your account? Your workspaces' documents and sessions stay; you lose access.")) return;
          report(api.deleteAccount(confirmPassword), "Account deleted.", onSignedOut);
        }}
      >
        <h3>Delete account</h3>
        <label htmlFor="account-delete-password">Your password, to confirm</label>
        <input
          id="account-delete-password"
          type="password"
          autoComplete="current-password"
          value={confirmPassword}
          onChange={(event) => setConfirmPassword(event.target.value)}
          required
        />
        <button type="submit" className="danger">
          Delete my account
        </button>
      </form>
      {status && (
        <p role="status" className={status.ok ? "success" : "error"}>
          {status.text}
        </p>
      )}
    </section>
  );
}
