/**
 * Members of a workspace (admins only): change roles, remove, invite by email (the invitee accepts; the link is for
 * the admin to send on), withdraw invitations. A server admin may also add an account directly.
 */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Invitation, Member, Role, User, Workspace } from "../api-types.ts";
import { ErrorMessage } from "./error-message.tsx";

const roles: Role[] = ["admin", "editor", "viewer"];

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function MembersTable({ workspace, user }: { workspace: Workspace; user: User }) {
  const [members, setMembers] = useState<Member[]>();
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [inviting, setInviting] = useState({ email: "", role: "viewer" as Role });
  const [invited, setInvited] = useState<{ email: string; link: string }>();
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState({ email: "", name: "", role: "viewer" as Role, password: "" });

  const load = useCallback(() => {
    api
      .members(workspace.id)
      .then((result) => {
        setMembers(result.members);
        setInvitations(result.invitations);
      })
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
      {invitations.length > 0 && (
        <>
          <h3>Invitations not yet accepted</h3>
          <ul className="invitations-list">
            {invitations.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} as {invitation.role}{" "}
                <button type="button" className="link-button" onClick={() => act(api.withdrawInvitation(workspace.id, invitation.id))}>
                  Withdraw<span className="visually-hidden"> the invitation of {invitation.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="add-member"
        aria-label="Invite someone"
        onSubmit={(event) => {
          event.preventDefault();
          act(
            api.invite(workspace.id, inviting).then((result) => {
              setInvited({ email: result.invitation.email, link: `${window.location.origin}${result.link}` });
              setInviting({ email: "", role: "viewer" });
            }),
          );
        }}
      >
        <h3>Invite someone</h3>
        <div className="field">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" type="email" required value={inviting.email} onChange={(event) => setInviting({ ...inviting, email: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={inviting.role} onChange={(event) => setInviting({ ...inviting, role: event.target.value as Role })}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Invite</button>
      </form>
      {invited && (
        <p role="status" className="success">
          Invitation for {invited.email} made. If they have an account they will see it when they sign in; otherwise send them this link (valid 7
          days): <code className="invitation-link">{invited.link}</code>
        </p>
      )}
      {user.serverAdmin && (
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
        <h3>Add a member directly (server admin)</h3>
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
      )}
    </section>
  );
}
