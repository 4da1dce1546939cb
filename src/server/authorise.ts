/**
 * The one authorisation layer. Each route declares who may call it with a middleware (`allow("editor")`,
 * `serverAdminOnly`), so no handler checks roles itself; the policy questions that several routes share
 * (who may draft, where a viewer's question is saved) are answered here and nowhere else.
 *
 * Roles in a workspace: admin (everything), editor (library, sessions, drafts), viewer (reads and asks; their
 * questions are saved in sessions of their own, never in shared ones). A server admin is a separate, server-wide
 * role: manages accounts, adds people to workspaces directly, and (by default) is the only one who creates
 * workspaces and sets model addresses.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { UserRecord, WorkspaceRole } from "../store/accounts-types.ts";
import { HttpError, forbidden, notSignedIn } from "./http-error.ts";
import type { ServerEnv } from "./server-types.ts";

const rank: Record<WorkspaceRole, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(role: WorkspaceRole, minimum: WorkspaceRole): boolean {
  return rank[role] >= rank[minimum];
}

/** Route middleware: 403 unless the caller's role in the workspace of the path is at least `minimum`. */
export function allow(minimum: WorkspaceRole): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const role = c.get("role");
    if (!hasRole(role, minimum)) {
      throw forbidden(`This needs the ${minimum} role in this workspace; you are ${role === "viewer" ? "a" : "an"} ${role}`);
    }
    await next();
  };
}

function signedInUser(c: Context<ServerEnv>): UserRecord {
  const auth = c.get("auth");
  if (!auth) throw notSignedIn();
  return auth.session.user;
}

/** Route middleware: 403 unless the caller administers the whole server. */
export const serverAdminOnly: MiddlewareHandler<ServerEnv> = async (c, next) => {
  if (!signedInUser(c).serverAdmin) throw forbidden("This needs a server admin");
  await next();
};

/** Route middleware for creating workspaces: server admins, or anyone when the configuration says so. */
export function workspaceCreators(policy: "server-admins" | "anyone"): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (policy !== "anyone" && !signedInUser(c).serverAdmin) {
      throw forbidden("Only a server admin can create workspaces on this server; ask one to invite you to a workspace");
    }
    await next();
  };
}

/** Whether a role may draft from templates, whichever route asks (POST /drafts, or a plain-words task in /ask). */
export function mayDraft(role: WorkspaceRole): boolean {
  return hasRole(role, "editor");
}

/** Whether a role may write to shared sessions; viewers' questions go to sessions of their own. */
export function mayWriteSharedSessions(role: WorkspaceRole): boolean {
  return hasRole(role, "editor");
}

/** The session a question is saved in: the one named, or for a viewer their own session of that name. */
export function sessionForQuestion(role: WorkspaceRole, user: UserRecord, requested: string | undefined): string | undefined {
  if (requested === undefined) return undefined;
  if (mayWriteSharedSessions(role)) return requested;
  const suffix = ` (${user.email})`;
  return requested.endsWith(suffix) ? requested : `${requested}${suffix}`;
}

/** Only a server admin may point a workspace at a model address other than the server's configured one. */
export function mayChooseModelAddress(user: UserRecord): boolean {
  return user.serverAdmin;
}

export const refusedModelAddress = (): HttpError =>
  new HttpError(403, "Only a server admin can set a model address; a workspace admin can choose among the server's configured ones");
