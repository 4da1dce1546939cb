/** Members of a workspace (admins only): change roles, remove, add an existing user or create one. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Member, Role, User, Workspace } from "../api-types.ts";
import { ErrorMessage } from "./error-message.tsx";

const roles: Role[] = ["admin", "editor", "viewer"];

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function MembersTable({ workspace, user }: { workspace: Workspace; user: User }) {
  const [members, setMembers] = useState<Member[]>();
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState({ email: "", name: "", role: "viewer" as Role, password: "" });

  const load = useCallback(() => {
    api
      .members(workspace.id)
      .then((result) => setMembers(result.members))
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id]);
  useEffect(load, [load]);

  const act = (action: Promise<unknown>): void => {
    setError(undefined);
    action.then(load).catch((failure: unknown) => setError(message(failure)));
  };

  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members and roles</h2>
      <p className="hint">Admins manage members and settings; editors add and remove documents; viewers read and ask.</p>
      <ErrorMessage message={error} />
      {members && (
        <div className="table-scroll">
          <table className="members">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.userId}>
                  <th scope="row">{member.name}</th>
                  <td>{member.email}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${member.userId}`}>
                      Role of {member.name}
                    </label>
                    <select
                      id={`role-${member.userId}`}
                      value={member.role}
                      onChange={(event) => act(api.setMemberRole(workspace.id, member.userId, event.target.value as Role))}
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {member.userId !== user.id && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          if (window.confirm(`Remove ${member.name} from ${workspace.name}?`)) act(api.removeMember(workspace.id, member.userId));
                        }}
                      >
                        Remove<span className="visually-hidden"> {member.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        className="add-member"
        aria-label="Add a member"
        onSubmit={(event) => {
          event.preventDefault();
          act(
            api
              .addMember(workspace.id, {
                email: adding.email,
                role: adding.role,
                ...(adding.name ? { name: adding.name } : {}),
                ...(adding.password ? { password: adding.password } : {}),
              })
              .then(() => setAdding({ email: "", name: "", role: "viewer", password: "" })),
          );
        }}
      >
        <h3>Add a member</h3>
        <div className="field">
          <label htmlFor="member-email">Email</label>
        <input id="member-email" type="email" required value={adding.email} onChange={(event) => setAdding({ ...adding, email: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="member-name">Name (for a new account)</label>
        <input id="member-name" value={adding.name} onChange={(event) => setAdding({ ...adding, name: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="member-password">Initial password (for a new account, at least 10 characters)</label>
        <input
          id="member-password"
          type="password"
          autoComplete="new-password"
          value={adding.password}
          onChange={(event) => setAdding({ ...adding, password: event.target.value })}
        />
        </div>
        <div className="field">
          <label htmlFor="member-role">Role</label>
        <select id="member-role" value={adding.role} onChange={(event) => setAdding({ ...adding, role: event.target.value as Role })}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
        </div>
        <button type="submit">Add member</button>
      </form>
    </section>
  );
}
