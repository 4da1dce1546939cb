/**
 * The whole app: decides between first-run setup, sign-in and the signed-in shell, keeps the chosen workspace
 * (remembered in localStorage) and the Ask conversation of each workspace while the user moves between pages.
 */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, setCsrfToken } from "./api-client.ts";
import type { User, Workspace } from "./api-types.ts";
import { AccountPanel } from "./components/account-panel.tsx";
import { AppShell } from "./components/app-shell.tsx";
import { InvitationsBanner } from "./components/invitations-banner.tsx";
import type { Exchange } from "./pages/ask-page.tsx";
import { AskPage } from "./pages/ask-page.tsx";
import { LibraryPage } from "./pages/library-page.tsx";
import { SessionsPage } from "./pages/sessions-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";
import { SetupPage } from "./pages/setup-page.tsx";
import { InvitationPage } from "./pages/invitation-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";
import { ToolkitPage } from "./pages/toolkit-page.tsx";
import { useRoute } from "./use-route.ts";

const workspaceKey = "hearth.workspace";

type Phase =
  | { kind: "loading" }
  | { kind: "setup" }
  | { kind: "sign-in" }
  | { kind: "invitation"; token: string }
  | { kind: "ready"; user: User; canCreateWorkspaces: boolean }
  | { kind: "failed"; message: string };

/** The token of an invitation link (/invitation/<token>), if the page was opened with one. */
function invitationToken(): string | undefined {
  return /^\/invitation\/([\w-]{10,200})$/.exec(window.location.pathname)?.[1];
}

function leaveInvitationPath(): void {
  if (invitationToken()) window.history.replaceState(null, "", "/library");
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspaceId, setWorkspaceId] = useState<string | undefined>(() => window.localStorage.getItem(workspaceKey) ?? undefined);
  const [conversations, setConversations] = useState<Record<string, Exchange[]>>({});
  const [route, navigate] = useRoute();

  const loadWorkspaces = useCallback(async (prefer?: string) => {
    const { workspaces: list } = await api.workspaces();
    setWorkspaces(list);
    setWorkspaceId((current) => {
      const wanted = prefer ?? current;
      return list.some((workspace) => workspace.id === wanted) ? wanted : list[0]?.id;
    });
  }, []);

  const start = useCallback(async () => {
    try {
      const me = await api.me();
      if (me) {
        setCsrfToken(me.csrfToken);
        await loadWorkspaces();
        leaveInvitationPath();
        setPhase({ kind: "ready", user: me.user, canCreateWorkspaces: me.canCreateWorkspaces });
        return;
      }
      setCsrfToken("");
      const token = invitationToken();
      if (token) {
        setPhase({ kind: "invitation", token });
        return;
      }
      const { needsSetup } = await api.setupNeeded();
      setPhase({ kind: needsSetup ? "setup" : "sign-in" });
    } catch (error) {
      setPhase({ kind: "failed", message: error instanceof ApiError ? error.message : String(error) });
    }
  }, [loadWorkspaces]);

  useEffect(() => {
    void start();
  }, [start]);

  useEffect(() => {
    if (workspaceId) window.localStorage.setItem(workspaceKey, workspaceId);
  }, [workspaceId]);

  const signedOut = useCallback(() => {
    setCsrfToken("");
    setWorkspaces([]);
    setConversations({});
    setPhase({ kind: "sign-in" });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      signedOut();
    }
  }, [signedOut]);

  if (phase.kind === "loading") {
    return (
      <main className="centred" aria-busy="true">
        <p>Loading Hearth…</p>
      </main>
    );
  }
  if (phase.kind === "failed") {
    return (
      <main className="centred">
        <h1>Hearth</h1>
        <p role="alert" className="error">
          {phase.message}
        </p>
        <button type="button" onClick={() => void start()}>
          Try again
        </button>
      </main>
    );
  }
  if (phase.kind === "setup") return <SetupPage onDone={() => void start()} />;
  if (phase.kind === "sign-in") return <SignInPage onSignedIn={() => void start()} />;
  if (phase.kind === "invitation") {
    return (
      <InvitationPage
        token={phase.token}
        onJoined={() => void start()}
        onSignIn={() => {
          leaveInvitationPath();
          setPhase({ kind: "sign-in" });
        }}
      />
    );
  }

  const workspace = workspaces.find((candidate) => candidate.id === workspaceId);
  const exchanges = workspace ? (conversations[workspace.id] ?? []) : [];
  const setExchanges = (update: (previous: Exchange[]) => Exchange[]): void => {
    if (!workspace) return;
    setConversations((all) => ({ ...all, [workspace.id]: update(all[workspace.id] ?? []) }));
  };

  return (
    <AppShell
      user={phase.user}
      workspaces={workspaces}
      workspace={workspace}
      page={route.page}
      onNavigate={navigate}
      onSwitchWorkspace={setWorkspaceId}
      onCreateWorkspace={
        phase.canCreateWorkspaces
          ? async (name) => {
              const { workspace: created } = await api.createWorkspace(name);
              await loadWorkspaces(created.id);
            }
          : undefined
      }
      onSignOut={() => void signOut()}
      banner={<InvitationsBanner onJoined={(joined) => void loadWorkspaces(joined)} />}
    >
      {!workspace ? (
        <>
          <p>
            You are not a member of any workspace yet.{" "}
            {phase.canCreateWorkspaces ? "Create one with “New workspace”, or ask an admin to invite you." : "Ask an admin to invite you."}
          </p>
          <AccountPanel user={phase.user} onSignedOut={signedOut} />
        </>
      ) : route.page === "library" ? (
        <LibraryPage key={workspace.id} workspace={workspace} />
      ) : route.page === "ask" ? (
        <AskPage key={workspace.id} workspace={workspace} exchanges={exchanges} setExchanges={setExchanges} />
      ) : route.page === "sessions" ? (
        <SessionsPage
          key={workspace.id}
          workspace={workspace}
          selected={route.detail}
          onSelect={(name) => navigate("sessions", name)}
        />
      ) : route.page === "toolkit" ? (
        <ToolkitPage key={workspace.id} workspace={workspace} onOpenSession={(name) => navigate("sessions", name)} />
      ) : (
        <SettingsPage key={workspace.id} workspace={workspace} user={phase.user} onSignedOut={signedOut} />
      )}
    </AppShell>
  );
}
