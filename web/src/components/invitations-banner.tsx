/** Invitations waiting for the signed-in person: accept (joins the workspace) or decline. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import { withArticle } from "../format.ts";
import type { Invitation } from "../api-types.ts";
import { ErrorMessage } from "./error-message.tsx";

export function InvitationsBanner({ onJoined }: { onJoined(workspaceId: string): void }) {
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api
      .myInvitations()
      .then((result) => setInvitations(result.invitations))
      .catch(() => setInvitations([]));
  }, []);
  useEffect(load, [load]);
  if (invitations.length === 0 && !error) return null;
  const act = (action: Promise<unknown>, then?: () => void): void => {
    setError(undefined);
    action
      .then(() => {
        load();
        then?.();
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  };
  return (
    <section className="notice invitations" aria-label="Invitations">
      <ErrorMessage message={error} />
      {invitations.map((invitation) => (
        <p key={invitation.id}>
          You are invited to <strong>{invitation.workspace.name}</strong> as {withArticle(invitation.role)}.{" "}
          <button type="button" onClick={() => act(api.acceptInvitation(invitation.id), () => onJoined(invitation.workspace.id))}>
            Accept
          </button>{" "}
          <button type="button" className="link-button" onClick={() => act(api.declineInvitation(invitation.id))}>
            Decline
          </button>
        </p>
      ))}
    </section>
  );
}
