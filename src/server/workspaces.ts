/**
 * Workspaces and their members. A workspace the caller is not a member of answers 404 on every route, so its
 * existence is never revealed. Roles: admin (everything), editor (library and sessions), viewer (read and ask).
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { WorkspaceRole } from "../store/accounts-types.ts";
import { workspaceRoles } from "../store/accounts-types.ts";
import { currentUser, emailSchema, nameSchema, passwordSchema, publicWorkspace } from "./auth.ts";
import { HttpError, forbidden, notFound, readJson } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";

const rank: Record<WorkspaceRole, number> = { viewer: 0, editor: 1, admin: 2 };
const roleSchema = z.enum(workspaceRoles);

/** Loads the workspace named in the path and the caller's role in it; 404 when the caller is not a member. */
export function workspaceMiddleware(services: ServerServices): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const workspaceId = c.req.param("workspaceId") ?? "";
    const user = currentUser(c);
    const role = services.accounts.getRole(workspaceId, user.id);
    const workspace = role ? services.accounts.getWorkspace(workspaceId) : undefined;
    if (!role || !workspace) throw notFound("No such workspace");
    c.set("workspace", workspace);
    c.set("role", role);
    await next();
  };
}

/** 403 unless the caller's role in the current workspace is at least `minimum`. */
export function requireRole(c: Context<ServerEnv>, minimum: WorkspaceRole): void {
  const role = c.get("role");
  if (rank[role] < rank[minimum]) {
    throw forbidden(`This needs the ${minimum} role in this workspace; you are ${role === "admin" ? "an" : "a"} ${role}`);
  }
}

export function registerWorkspaceRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  const { accounts } = services;

  app.get("/api/workspaces", (c) => {
    const user = currentUser(c);
    return c.json({ workspaces: accounts.listWorkspacesForUser(user.id).map((m) => publicWorkspace(m.workspace, m.role)) });
  });

  app.post("/api/workspaces", async (c) => {
    const user = currentUser(c);
    const body = await readJson(c.req.raw, z.object({ name: nameSchema }));
    const workspace = accounts.createWorkspace(body.name, user.id);
    accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "workspace-created", detail: workspace.name });
    return c.json({ workspace: publicWorkspace(workspace, "admin") }, 201);
  });

  app.get("/api/workspaces/:workspaceId", (c) => c.json({ workspace: publicWorkspace(c.get("workspace"), c.get("role")) }));

  app.get("/api/workspaces/:workspaceId/members", (c) => {
    requireRole(c, "admin");
    return c.json({ members: accounts.listMembers(c.get("workspace").id) });
  });

  app.post("/api/workspaces/:workspaceId/members", async (c) => {
    requireRole(c, "admin");
    const workspace = c.get("workspace");
    const body = await readJson(
      c.req.raw,
      z.object({ email: emailSchema, name: nameSchema.optional(), role: roleSchema, password: passwordSchema.optional() }),
    );
    let user = accounts.findUserByEmail(body.email);
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
    accounts.setMember(workspace.id, user.id, body.role);
    accounts.recordAudit({
      userId: currentUser(c).id,
      workspaceId: workspace.id,
      action: "member-added",
      detail: `${user.email} as ${body.role}${created ? " (new user)" : ""}`,
    });
    return c.json({ member: { userId: user.id, email: user.email, name: user.name, role: body.role } }, 201);
  });

  const otherAdmins = (workspaceId: string, userId: string): number =>
    accounts.listMembers(workspaceId).filter((member) => member.role === "admin" && member.userId !== userId).length;

  app.patch("/api/workspaces/:workspaceId/members/:userId", async (c) => {
    requireRole(c, "admin");
    const workspace = c.get("workspace");
    const userId = c.req.param("userId");
    const body = await readJson(c.req.raw, z.object({ role: roleSchema }));
    const member = accounts.listMembers(workspace.id).find((candidate) => candidate.userId === userId);
    if (!member) throw notFound("No such member in this workspace");
    if (member.role === "admin" && body.role !== "admin" && otherAdmins(workspace.id, userId) === 0) {
      throw new HttpError(409, "A workspace needs at least one admin; make someone else admin first");
    }
    accounts.setMember(workspace.id, userId, body.role);
    accounts.recordAudit({ userId: currentUser(c).id, workspaceId: workspace.id, action: "member-role", detail: `${member.email} → ${body.role}` });
    return c.json({ member: { ...member, role: body.role } });
  });

  app.delete("/api/workspaces/:workspaceId/members/:userId", (c) => {
    requireRole(c, "admin");
    const workspace = c.get("workspace");
    const userId = c.req.param("userId");
    const member = accounts.listMembers(workspace.id).find((candidate) => candidate.userId === userId);
    if (!member) throw notFound("No such member in this workspace");
    if (member.role === "admin" && otherAdmins(workspace.id, userId) === 0) {
      throw new HttpError(409, "A workspace needs at least one admin; make someone else admin first");
    }
    accounts.removeMember(workspace.id, userId);
    accounts.recordAudit({ userId: currentUser(c).id, workspaceId: workspace.id, action: "member-removed", detail: member.email });
    return c.body(null, 204);
  });
}
