/** The signed-in frame: header with the workspace switcher and the user, the left navigation, and the page. */
import type { ReactNode } from "react";
import { useEffect, useRef } from "react";
import type { User, Workspace } from "../api-types.ts";
import type { PageName } from "../use-route.ts";
import { routePath } from "../use-route.ts";
import { WorkspaceSwitcher } from "./workspace-switcher.tsx";

const pageTitles: Record<PageName, string> = { library: "Library", ask: "Ask", sessions: "Sessions", toolkit: "Toolkit", settings: "Settings" };

interface AppShellProps {
  user: User;
  workspaces: Workspace[];
  workspace: Workspace | undefined;
  page: PageName;
  onNavigate(page: PageName): void;
  onSwitchWorkspace(workspaceId: string): void;
  onCreateWorkspace: ((name: string) => Promise<void>) | undefined;
  /** Shown above every page (invitations waiting for this person). */
  banner?: ReactNode;
  onSignOut(): void;
  children: ReactNode;
}

export function AppShell(props: AppShellProps) {
  const { user, workspaces, workspace, page, onNavigate, children } = props;
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${pageTitles[page]} · Hearth`;
    // Moving focus to the new page's heading tells screen reader users that the page changed.
    heading.current?.focus();
  }, [page]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Hearth">
          Hearth
        </span>
        <WorkspaceSwitcher
          workspaces={workspaces}
          current={workspace}
          onSwitch={props.onSwitchWorkspace}
          onCreate={props.onCreateWorkspace}
        />
        <div className="user">
          <span title={user.email}>{user.name}</span>
          {workspace && <span className="role-badge">{workspace.role}</span>}
          <button type="button" className="link-button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {(Object.keys(pageTitles) as PageName[]).map((name) => (
            <li key={name}>
              <a
                href={routePath(name)}
                aria-current={name === page ? "page" : undefined}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  onNavigate(name);
                }}
              >
                {pageTitles[name]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        {props.banner}
        <h1 ref={heading} tabIndex={-1}>
          {pageTitles[page]}
        </h1>
        {children}
      </main>
    </div>
  );
}
