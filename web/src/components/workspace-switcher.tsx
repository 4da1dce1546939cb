/** Chooses the workspace the pages work on, and creates a new one. */
import { useState } from "react";
import { ApiError } from "../api-client.ts";
import type { Workspace } from "../api-types.ts";

interface WorkspaceSwitcherProps {
  workspaces: Workspace[];
  current: Workspace | undefined;
  onSwitch(workspaceId: string): void;
  /** Absent when this person may not create workspaces (the server restricts it to server admins). */
  onCreate: ((name: string) => Promise<void>) | undefined;
}

export function WorkspaceSwitcher({ workspaces, current, onSwitch, onCreate }: WorkspaceSwitcherProps) {
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();

  if (creating && onCreate) {
    return (
      <form
        className="workspace-switcher"
        onSubmit={(event) => {
          event.preventDefault();
          setError(undefined);
          onCreate(name.trim())
            .then(() => {
              setCreating(false);
              setName("");
            })
            .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
        }}
      >
        <label htmlFor="new-workspace-name">New workspace name</label>
        <input id="new-workspace-name" value={name} onChange={(event) => setName(event.target.value)} required autoFocus />
        <button type="submit">Create</button>
        <button type="button" className="secondary" onClick={() => setCreating(false)}>
          Cancel
        </button>
        {error && (
          <span role="alert" className="error">
            {error}
          </span>
        )}
      </form>
    );
  }

  return (
    <div className="workspace-switcher">
      <label htmlFor="workspace-select">Workspace</label>
      <select id="workspace-select" value={current?.id ?? ""} onChange={(event) => onSwitch(event.target.value)}>
        {workspaces.length === 0 && <option value="">(none)</option>}
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
      {onCreate && (
        <button type="button" className="secondary" onClick={() => setCreating(true)}>
          New workspace
        </button>
      )}
    </div>
  );
}
