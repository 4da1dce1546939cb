/**
 * The server admin's account management over HTTP (the same as `hearth users` on the server): list, add, issue a
 * one-time reset code, make or unmake server admins, remove. Every route is behind `serverAdminOnly`.
 */
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import type { AccountsStore, UserRecord } from "../store/accounts-types.ts";
import { serverAdminOnly } from "./authorise.ts";
import { audit, emailSchema, nameSchema, passwordSchema, publicUser } from "./auth.ts";
import { HttpError, notFound } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";

export const resetCodeLifetimeMs = 60 * 60_000;

/** Why a user cannot be removed (the last server admin, or the only admin of a workspace), or undefined. */
export async function whyNotRemovable(accounts: AccountsStore, user: UserRecord): Promise<string | undefined> {
  if (user.serverAdmin && (await accounts.listUsers()).filter((other) => other.serverAdmin).length === 1) {
    return `${user.email} is the only server admin; make someone else server admin first`;
  }
  const soleAdminOf: string[] = [];
  for (const { role, workspace } of await accounts.listWorkspacesForUser(user.id)) {
    if (role === "admin" && (await accounts.listMembers(workspace.id)).filter((member) => member.role === "admin").length === 1) soleAdminOf.push(workspace.name);
  }
  return soleAdminOf.length > 0 ? `${user.email} is the only admin of ${soleAdminOf.join(", ")}; make someone else admin there first` : undefined;
}

/** Route middleware: the user named in the path must exist (404 before the body is read, as before). */
function knownUser(accounts: AccountsStore): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (!(await accounts.getUser(c.req.param("userId") ?? ""))) throw notFound("No such user");
    await next();
  };
}

export function adminUserRoutes(services: ServerServices) {
  const { accounts } = services;
  // Built here, not at load: auth.ts (the field schemas) and this module import each other.
  const newUserSchema = z.object({ email: emailSchema, name: nameSchema, password: passwordSchema, serverAdmin: z.boolean().default(false) });
  const serverAdminSchema = z.object({ serverAdmin: z.boolean() });

  const findUser = async (id: string): Promise<UserRecord> => {
    const user = await accounts.getUser(id);
    if (!user) throw notFound("No such user");
    return user;
  };

  return new Hono<ServerEnv>()
  // The whole group is the server admin's; the path keeps this middleware off every other group's routes.
  .use("/api/admin/*", serverAdminOnly)
  .get("/api/admin/users", async (c) =>
    c.json({
      users: await Promise.all((await accounts.listUsers()).map(async (user) => ({
        ...publicUser(user),
        createdAt: user.createdAt,
        workspaces: (await accounts.listWorkspacesForUser(user.id)).map(({ workspace, role }) => ({ id: workspace.id, name: workspace.name, role })),
      }))),
    }),
  )

  .post("/api/admin/users", jsonBody(newUserSchema), async (c) => {
    const body = c.req.valid("json");
    const created = await accounts.createUser({ email: body.email, name: body.name, password: body.password });
    if (!created.ok) throw new HttpError(409, created.error.message, { cause: created.error });
    if (body.serverAdmin) await accounts.setServerAdmin(created.value.id, true);
    await audit(c, services, "user-added", `${body.email}${body.serverAdmin ? " (server admin)" : ""}`, null);
    return c.json({ user: publicUser((await accounts.getUser(created.value.id)) ?? created.value) }, 201);
  })

  .patch("/api/admin/users/:userId", knownUser(accounts), jsonBody(serverAdminSchema), async (c) => {
    const user = await findUser(c.req.param("userId"));
    const body = c.req.valid("json");
    if (!body.serverAdmin && user.serverAdmin && (await accounts.listUsers()).filter((other) => other.serverAdmin).length === 1) {
      throw new HttpError(409, "The server needs at least one server admin");
    }
    await accounts.setServerAdmin(user.id, body.serverAdmin);
    await audit(c, services, "server-admin", `${user.email} → ${body.serverAdmin ? "server admin" : "user"}`, null);
    return c.json({ user: publicUser(await findUser(user.id)) });
  })

  .post("/api/admin/users/:userId/reset", async (c) => {
    const user = await findUser(c.req.param("userId"));
    const code = await accounts.createResetCode(user.id, resetCodeLifetimeMs);
    await audit(c, services, "reset-code", user.email, null);
    return c.json({ email: user.email, code, expiresInMinutes: resetCodeLifetimeMs / 60_000 });
  })

  .delete("/api/admin/users/:userId", async (c) => {
    const user = await findUser(c.req.param("userId"));
    const reason = await whyNotRemovable(accounts, user);
    if (reason) throw new HttpError(409, reason);
    await accounts.deleteUser(user.id);
    await audit(c, services, "user-removed", user.email, null);
    return c.body(null, 204);
  });
}

export type AdminUserRoutes = ReturnType<typeof adminUserRoutes>;
