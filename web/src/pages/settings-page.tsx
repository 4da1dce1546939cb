/**
 * Settings: the organisation profile, the language model provider (with a connection test), and, for admins, the
 * members of the workspace with their roles and the audit log. Non-admins see the settings read-only.
 */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Profile, ProviderSettings, User, Workspace } from "../api-types.ts";
import { AccountPanel } from "../components/account-panel.tsx";
import { AuditLog } from "../components/audit-log.tsx";
import { MembersTable } from "../components/members-table.tsx";
import { ProfileForm } from "../components/profile-form.tsx";
import { ProviderForm } from "../components/provider-form.tsx";
import { ErrorMessage } from "../components/error-message.tsx";

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function SettingsPage({ workspace, user, onSignedOut }: { workspace: Workspace; user: User; onSignedOut(): void }) {
  const [profile, setProfile] = useState<Profile>();
  const [provider, setProvider] = useState<ProviderSettings>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .settings(workspace.id)
      .then((settings) => {
        setProfile(settings.profile);
        setProvider(settings.provider);
      })
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id]);

  const isAdmin = workspace.role === "admin";
  return (
    <div className="settings">
      {!isAdmin && <p className="notice">Only an admin of {workspace.name} can change these settings.</p>}
      <ErrorMessage message={error} />
      <div className="settings-grid">
        {profile && <ProfileForm workspace={workspace} profile={profile} onSaved={setProfile} />}
        {provider && <ProviderForm workspace={workspace} provider={provider} onSaved={setProvider} />}
      </div>
      {isAdmin && <MembersTable workspace={workspace} user={user} />}
      {isAdmin && <AuditLog workspace={workspace} />}
      <AccountPanel user={user} onSignedOut={onSignedOut} />
    </div>
  );
}
