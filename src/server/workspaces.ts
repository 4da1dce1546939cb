/**
 * Workspaces, their members and invitations. A workspace the caller is not a member of answers 404 on every route,
 * so its existence is never revealed. Who may do what is declared per route with the middleware of authorise.ts.
 *
 * People join by invitation: a workspace admin invites an email, and whoever holds that email accepts (signed in,
 * or by creating their account with the invitation's link). The answer to an invitation is the same whether the
 * email has an account or not, so invitations tell nobody who is registered. A server admin may add people directly.
 */
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import type { InvitationRecord, WorkspaceRole } from "../store/accounts-types.ts";
import { workspaceRoles } from "../store/accounts-types.ts";
import { allow, serverAdminOnly, workspaceCreators } from "./authorise.ts";
import { audit, currentUser, emailSchema, nameSchema, passwordSchema, publicUser, publicWorkspace, startSession } from "./auth.ts";
import { HttpError, notFound } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";

const roleSchema = z.enum(workspaceRoles);
const invitationLifetimeMs = 7 * 24 * 60 * 60_000;

/** An invitation as the API shows it (the web app's type comes from here). */
export interface PublicInvitation {
  id: string;
  workspace: { id: string; name: string };
  email: string;
  role: WorkspaceRole;
  expiresAt: string;
}

export const publicInvitation = (invitation: InvitationRecord): PublicInvitation => ({
  id: invitation.id,
  workspace: { id: invitation.workspaceId, name: invitation.workspaceName },
  email: invitation.email,
  role: invitation.role,
  expiresAt: invitation.expiresAt,
});

/** Loads the workspace named in the path and the caller's role in it; 404 when the caller is not a member. */
export function workspaceMiddleware(services: ServerServices): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const workspaceId = c.req.param("workspaceId") ?? "";
    const user = currentUser(c);
    // Both reads at once: on PostgreSQL each is a round trip, and every workspace request (every question) waits here.
    const [role, workspace] = await Promise.all([services.accounts.getRole(workspaceId, user.id), services.accounts.getWorkspace(workspaceId)]);
    if (!role || !workspace) throw notFound("No such workspace");
    c.set("workspace", workspace);
    c.set("role", role);
    await next();
  };
}

const workspaceNameSchema = z.object({ name: nameSchema });
const addMemberSchema = z.object({ email: emailSchema, name: nameSchema.optional(), role: roleSchema, password: passwordSchema.optional() });
const memberRoleSchema = z.object({ role: roleSchema });
const invitationSchema = z.object({ email: emailSchema, role: roleSchema });

export function workspaceRoutes(services: ServerServices) {
  const { accounts } = services;

  const otherAdmins = async (workspaceId: string, userId: string): Promise<number> =>
    (await accounts.listMembers(workspaceId)).filter((member) => member.role === "admin" && member.userId !== userId).length;

  return new Hono<ServerEnv>()
  .get("/api/workspaces", async (c) => {
    const user = currentUser(c);
    return c.json({ workspaces: (await accounts.listWorkspacesForUser(user.id)).map((m) => publicWorkspace(m.workspace, m.role)) });
  })

  .post("/api/workspaces", workspaceCreators(services.config.server.workspaceCreation), jsonBody(workspaceNameSchema), async (c) => {
    const user = currentUser(c);
    const body = c.req.valid("json");
    const workspace = await accounts.createWorkspace(body.name, user.id);
    await accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "workspace-created", detail: workspace.name });
    return c.json({ workspace: publicWorkspace(workspace, "admin") }, 201);
  })

  .get("/api/workspaces/:workspaceId", (c) => c.json({ workspace: publicWorkspace(c.get("workspace"), c.get("role")) }))

  .get("/api/workspaces/:workspaceId/members", allow("admin"), async (c) => {
    const workspaceId = c.get("workspace").id;
    return c.json({ members: await accounts.listMembers(workspaceId), invitations: (await accounts.listInvitations(workspaceId)).map(publicInvitation) });
  })

  // Adding someone without their consent, or making an account for them, is for a server admin only.
  .post("/api/workspaces/:workspaceId/members", allow("admin"), serverAdminOnly, jsonBody(addMemberSchema), async (c) => {
    const workspace = c.get("workspace");
    const body = c.req.valid("json");
    let user = await accounts.findUserByEmail(body.email);
    let created = false;
    if (!user) {
      if (!body.password) {
        throw new HttpError(400, `No user has the email ${body.email}; give an initial password (and a name) to create one`);
      }
      const result = await accounts.createUser({ email: body.email, name: body.name ?? body.email, password: body.password });
      if (!result.ok) throw new HttpError(409, result.error.message, { cause: result.error });
      user = result.value;
      created = true;
    }
    await accounts.setMember(workspace.id, user.id, body.role);
    await accounts.recordAudit({
      userId: currentUser(c).id,
      workspaceId: workspace.id,
      action: "member-added",
      detail: `${user.email} as ${body.role}${created ? " (new user)" : ""}`,
    });
    return c.json({ member: { userId: user.id, email: user.email, name: user.name, role: body.role } }, 201);
  })

  .patch("/api/workspaces/:workspaceId/members/:userId", allow("admin"), jsonBody(memberRoleSchema), async (c) => {
    const workspace = c.get("workspace");
    const userId = c.req.param("userId");
    const body = c.req.valid("json");
    const member = (await accounts.listMembers(workspace.id)).find((candidate) => candidate.userId === userId);
    if (!member) throw notFound("No such member in this workspace");
    if (member.role === "admin" && body.role !== "admin" && (await otherAdmins(workspace.id, userId)) === 0) {
      throw new HttpError(409, "A workspace needs at least one admin; make someone else admin first");
    }
    await accounts.setMember(workspace.id, userId, body.role);
    await accounts.recordAudit({ userId: currentUser(c).id, workspaceId: workspace.id, action: "member-role", detail: `${member.email} → ${body.role}` });
    return c.json({ member: { ...member, role: body.role } });
  })

  .delete("/api/workspaces/:workspaceId/members/:userId", allow("admin"), async (c) => {
    const workspace = c.get("workspace");
    const userId = c.req.param("userId");
    const member = (await accounts.listMembers(workspace.id)).find((candidate) => candidate.userId === userId);
    if (!member) throw notFound("No such member in this workspace");
    if (member.role === "admin" && (await otherAdmins(workspace.id, userId)) === 0) {
      throw new HttpError(409, "A workspace needs at least one admin; make someone else admin first");
    }
    await accounts.removeMember(workspace.id, userId);
    await accounts.recordAudit({ userId: currentUser(c).id, workspaceId: workspace.id, action: "member-removed", detail: member.email });
    return c.body(null, 204);
  })

  .post("/api/workspaces/:workspaceId/invitations", allow("admin"), jsonBody(invitationSchema), async (c) => {
    const workspace = c.get("workspace");
    const body = c.req.valid("json");
    const { token, invitation } = await accounts.createInvitation({
      workspaceId: workspace.id,
      email: body.email,
      role: body.role,
      invitedBy: currentUser(c).id,
      lifetimeMs: invitationLifetimeMs,
    });
    await audit(c, services, "invited", `${body.email} as ${body.role}`);
    // The same answer whether or not the email has an account: the link is for the admin to send on.
    return c.json({ invitation: publicInvitation(invitation), link: `/invitation/${token}` }, 201);
  })

  .delete("/api/workspaces/:workspaceId/invitations/:invitationId", allow("admin"), async (c) => {
    const invitation = await accounts.getInvitation(c.req.param("invitationId"));
    if (!invitation || invitation.workspaceId !== c.get("workspace").id) throw notFound("No such invitation in this workspace");
    await accounts.deleteInvitation(invitation.id);
    await audit(c, services, "invitation-withdrawn", invitation.email);
    return c.body(null, 204);
  });
}

export type WorkspaceRoutes = ReturnType<typeof workspaceRoutes>;

/** The signed-in caller's own invitations: list, accept, decline. */
export function invitationRoutes(services: ServerServices) {
  const { accounts } = services;
  const mine = async (userEmail: string, id: string): Promise<InvitationRecord> => {
    const invitation = await accounts.getInvitation(id);
    if (!invitation || invitation.email !== userEmail) throw notFound("No such invitation");
    return invitation;
  };

  return new Hono<ServerEnv>()
  .get("/api/invitations", async (c) => c.json({ invitations: (await accounts.listInvitationsForEmail(currentUser(c).email)).map(publicInvitation) }))

  .post("/api/invitations/:invitationId/accept", async (c) => {
    const user = currentUser(c);
    const invitation = await mine(user.email, c.req.param("invitationId"));
    await accounts.acceptInvitation(invitation.id, user.id);
    await audit(c, services, "member-joined", `${user.email} as ${invitation.role} (invitation)`, invitation.workspaceId);
    const role = (await accounts.getRole(invitation.workspaceId, user.id)) ?? invitation.role;
    return c.json({ workspace: { id: invitation.workspaceId, name: invitation.workspaceName, role } });
  })

  .post("/api/invitations/:invitationId/decline", async (c) => {
    const user = currentUser(c);
    const invitation = await mine(user.email, c.req.param("invitationId"));
    await accounts.deleteInvitation(invitation.id);
    await audit(c, services, "invitation-declined", user.email, invitation.workspaceId);
    return c.body(null, 204);
  });
}

export type InvitationRoutes = ReturnType<typeof invitationRoutes>;

const invitationTokenSchema = z.object({ token: z.string().min(10).max(200) });
const invitationSignUpSchema = invitationTokenSchema.extend({ name: nameSchema, password: passwordSchema });

/**
 * Without signing in, for the invitation link: what the invitation is, and creating the invited account. Only the
 * holder of the link (sent to that email) learns whether the email already has an account.
 */
export function publicInvitationRoutes(services: ServerServices) {
  const { accounts } = services;
  const byToken = async (token: string): Promise<InvitationRecord> => {
    const invitation = await accounts.findInvitationByToken(token);
    if (!invitation) throw new HttpError(404, "This invitation is unknown or has expired; ask for a new one");
    return invitation;
  };

  return new Hono<ServerEnv>()
  .post("/api/invitations/lookup", jsonBody(invitationTokenSchema), async (c) => {
    const invitation = await byToken(c.req.valid("json").token);
    return c.json({ invitation: publicInvitation(invitation), hasAccount: (await accounts.findUserByEmail(invitation.email)) !== undefined });
  })

  .post("/api/invitations/sign-up", jsonBody(invitationSignUpSchema), async (c) => {
    const body = c.req.valid("json");
    const invitation = await byToken(body.token);
    if (await accounts.findUserByEmail(invitation.email)) throw new HttpError(409, "You already have an account: sign in, then accept the invitation");
    const created = await accounts.createUser({ email: invitation.email, name: body.name, password: body.password });
    if (!created.ok) throw new HttpError(409, "You already have an account: sign in, then accept the invitation", { cause: created.error });
    await accounts.acceptInvitation(invitation.id, created.value.id);
    await accounts.recordAudit({ userId: created.value.id, workspaceId: invitation.workspaceId, action: "member-joined", detail: `${invitation.email} as ${invitation.role} (new account)` });
    await startSession(c, services, created.value);
    return c.json({ user: publicUser(created.value), workspace: { id: invitation.workspaceId, name: invitation.workspaceName, role: invitation.role } }, 201);
  });
}

export type PublicInvitationRoutes = ReturnType<typeof publicInvitationRoutes>;
