/**
 * Sign-in: first-run setup, login and logout, the session cookie and the middleware that finds the caller.
 * The cookie holds a random token (only its hash is stored); it is httpOnly, SameSite=Strict and Secure on https.
 */
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as z from "zod";
import type { UserRecord, WorkspaceRecord, WorkspaceRole } from "../store/accounts-types.ts";
import { whyNotRemovable } from "./admin-users.ts";
import { HttpError, notSignedIn } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";

export const sessionCookieName = "hearth_session";
const sessionLifetimeMs = 7 * 24 * 60 * 60_000;
export const minimumPasswordLength = 10;

export const passwordSchema = z
  .string()
  .min(minimumPasswordLength, `the password must be at least ${minimumPasswordLength} characters`)
  .max(1024, "the password is too long");
export const emailSchema = z.string().trim().toLowerCase().email("not a valid email address").max(320);
export const nameSchema = z.string().trim().min(1, "a name is required").max(200);

const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema, workspaceName: nameSchema });
const loginSchema = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) });

export const publicUser = (user: UserRecord): { id: string; email: string; name: string; serverAdmin: boolean } => ({
  id: user.id,
  email: user.email,
  name: user.name,
  serverAdmin: user.serverAdmin,
});

export const publicWorkspace = (workspace: WorkspaceRecord, role: WorkspaceRole): { id: string; name: string; role: WorkspaceRole } => ({
  id: workspace.id,
  name: workspace.name,
  role,
});

/**
 * The client address from the socket. Forwarded headers are not trusted: behind a reverse proxy every request
 * shares the proxy's address, so the per-address sign-in limit then acts as a second global limit.
 */
export function clientAddress(c: Context<ServerEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? "unknown";
}

export async function startSession(c: Context<ServerEnv>, services: ServerServices, user: UserRecord): Promise<void> {
  const { token } = await services.accounts.createAuthSession(user.id, sessionLifetimeMs);
  setCookie(c, sessionCookieName, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: Math.floor(sessionLifetimeMs / 1000),
  });
}

/** Finds the sign-in session named by the cookie, if any; never refuses a request by itself. */
export function sessionMiddleware(services: ServerServices): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const token = getCookie(c, sessionCookieName);
    const session = token ? await services.accounts.findAuthSession(token) : undefined;
    c.set("auth", token && session ? { token, session } : undefined);
    await next();
  };
}

/** 401 unless signed in. */
export const requireUser: MiddlewareHandler<ServerEnv> = async (c, next) => {
  if (!c.get("auth")) throw notSignedIn();
  await next();
};

/** The signed-in user (call only behind requireUser). */
export function currentUser(c: Context<ServerEnv>): UserRecord {
  const auth = c.get("auth");
  if (!auth) throw notSignedIn();
  return auth.session.user;
}

/** Records an audit event for the signed-in caller (or for nobody), in the workspace of the path when there is one. */
export async function audit(c: Context<ServerEnv>, services: ServerServices, action: string, detail: string, workspaceId?: string | null): Promise<void> {
  const auth = c.get("auth");
  await services.accounts.recordAudit({
    userId: auth?.session.user.id ?? null,
    workspaceId: workspaceId === undefined ? ((c.get("workspace") as WorkspaceRecord | undefined)?.id ?? null) : workspaceId,
    action,
    detail,
  });
}

/**
 * Checks a sign-in through the throttle: per account and address, per address, and how many are being checked at
 * once. Lockouts are audited. Answers the user, or undefined for a wrong email or password.
 */
export async function checkSignIn(
  c: Context<ServerEnv>,
  services: ServerServices,
  email: string,
  verify: () => Promise<UserRecord | undefined>,
): Promise<UserRecord | undefined> {
  const { throttle, accounts } = services;
  const address = clientAddress(c);
  const verdict = await throttle.check(email, address);
  if (!verdict.ok) {
    const known = await accounts.findUserByEmail(email);
    await accounts.recordAudit({ userId: known?.id ?? null, workspaceId: null, action: "lockout", detail: `${verdict.reason} locked: ${email} from ${address}` });
    const wait = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new HttpError(429, `Too many failed sign-ins${verdict.reason === "account" ? ` for ${email}` : " from this address"}; try again in ${wait} minute${wait === 1 ? "" : "s"}`, {
      headers: { "Retry-After": String(verdict.retryAfterSeconds) },
    });
  }
  if (!throttle.acquire()) throw new HttpError(429, "The server is busy signing people in; try again in a moment", { headers: { "Retry-After": "2" } });
  let user: UserRecord | undefined;
  try {
    user = await verify();
  } finally {
    throttle.release();
  }
  if (!user) {
    await throttle.recordFailure(email, address);
    const known = await accounts.findUserByEmail(email);
    if (known) await accounts.recordAudit({ userId: known.id, workspaceId: null, action: "sign-in-failed", detail: `from ${address}` });
    return undefined;
  }
  await throttle.recordSuccess(email, address);
  return user;
}

const resetSchema = z.object({ email: z.string().trim().toLowerCase().max(320), code: z.string().trim().max(100), password: passwordSchema });

/** Route middleware: first-run setup only while the server has no account (409 after), checked before the body. */
function firstRunOnly(services: ServerServices): MiddlewareHandler<ServerEnv> {
  return async (_c, next) => {
    if ((await services.accounts.countUsers()) > 0) throw new HttpError(409, "Hearth is already set up; sign in instead");
    await next();
  };
}

/** Routes that work without signing in: setup, login, and a password reset with a one-time code. */
export function publicAuthRoutes(services: ServerServices) {
  const { accounts } = services;

  return new Hono<ServerEnv>()
  .get("/api/setup", async (c) => c.json({ needsSetup: (await accounts.countUsers()) === 0 }))

  .post("/api/setup", firstRunOnly(services), jsonBody(setupSchema), async (c) => {
    const body = c.req.valid("json");
    // Checked again after the slow password hash: two setups racing must not both create an admin.
    const created = await accounts.createUser({ email: body.email, name: body.name, password: body.password });
    if (!created.ok) throw new HttpError(409, created.error.message, { cause: created.error });
    if (!created.value.serverAdmin) {
      await accounts.deleteUser(created.value.id);
      throw new HttpError(409, "Hearth is already set up; sign in instead");
    }
    const user = created.value;
    const workspace = await accounts.createWorkspace(body.workspaceName, user.id);
    await accounts.recordAudit({ userId: user.id, workspaceId: null, action: "sign-in", detail: "first-run setup" });
    await accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "workspace-created", detail: workspace.name });
    await startSession(c, services, user);
    return c.json({ user: publicUser(user), workspace: publicWorkspace(workspace, "admin") }, 201);
  })

  .post("/api/auth/login", jsonBody(loginSchema), async (c) => {
    const body = c.req.valid("json");
    const user = await checkSignIn(c, services, body.email, () => accounts.verifyPassword(body.email, body.password));
    if (!user) throw new HttpError(401, "Wrong email or password");
    await accounts.recordAudit({ userId: user.id, workspaceId: null, action: "sign-in", detail: `from ${clientAddress(c)}` });
    await startSession(c, services, user);
    return c.json({ user: publicUser(user) });
  })

  // The code comes from `hearth users reset EMAIL` (or a server admin's page); one use, an hour.
  .post("/api/auth/reset", jsonBody(resetSchema), async (c) => {
    const body = c.req.valid("json");
    const user = await checkSignIn(c, services, body.email, async () => await accounts.consumeResetCode(body.email, body.code));
    if (!user) throw new HttpError(400, "That email and reset code do not match a live reset; ask an admin for a new code");
    await accounts.setPassword(user.id, body.password);
    await accounts.deleteAuthSessionsForUser(user.id);
    await accounts.recordAudit({ userId: user.id, workspaceId: null, action: "password-reset", detail: `from ${clientAddress(c)}` });
    await startSession(c, services, user);
    return c.json({ user: publicUser(user) });
  });
}

export type PublicAuthRoutes = ReturnType<typeof publicAuthRoutes>;

const passwordChangeSchema = z.object({ currentPassword: z.string().max(1024), newPassword: passwordSchema });
const confirmSchema = z.object({ password: z.string().max(1024) });

/** Routes for a signed-in caller (behind requireUser and the CSRF check): who am I, sign out, the account itself. */
export function privateAuthRoutes(services: ServerServices) {
  const { accounts } = services;

  return new Hono<ServerEnv>()
  .get("/api/me", (c) => {
    const auth = c.get("auth");
    if (!auth) throw notSignedIn();
    const user = auth.session.user;
    return c.json({
      user: publicUser(user),
      csrfToken: auth.session.csrfToken,
      canCreateWorkspaces: services.config.server.workspaceCreation === "anyone" || user.serverAdmin,
    });
  })

  .post("/api/auth/logout", async (c) => {
    const auth = c.get("auth");
    if (auth) {
      await accounts.deleteAuthSession(auth.token);
      await audit(c, services, "sign-out", "this device", null);
    }
    deleteCookie(c, sessionCookieName, { path: "/" });
    return c.body(null, 204);
  })

  .post("/api/auth/logout-everywhere", async (c) => {
    const user = currentUser(c);
    const ended = await accounts.deleteAuthSessionsForUser(user.id);
    await audit(c, services, "sign-out", `everywhere (${ended} session${ended === 1 ? "" : "s"})`, null);
    deleteCookie(c, sessionCookieName, { path: "/" });
    return c.body(null, 204);
  })

  .post("/api/me/password", jsonBody(passwordChangeSchema), async (c) => {
    const auth = c.get("auth");
    if (!auth) throw notSignedIn();
    const body = c.req.valid("json");
    const user = await checkSignIn(c, services, auth.session.user.email, () => accounts.verifyPassword(auth.session.user.email, body.currentPassword));
    if (!user) throw new HttpError(400, "currentPassword: that is not your current password");
    await accounts.setPassword(user.id, body.newPassword);
    // Other devices signed in with the old password are signed out; this one stays.
    await accounts.deleteAuthSessionsForUser(user.id, auth.token);
    await audit(c, services, "password-changed", "other sessions ended", null);
    return c.body(null, 204);
  })

  .delete("/api/me", jsonBody(confirmSchema), async (c) => {
    const user = currentUser(c);
    const body = c.req.valid("json");
    const checked = await checkSignIn(c, services, user.email, () => accounts.verifyPassword(user.email, body.password));
    if (!checked) throw new HttpError(400, "password: that is not your password");
    const reason = await whyNotRemovable(accounts, user);
    if (reason) throw new HttpError(409, reason.replace(`${user.email} is`, "You are"));
    await audit(c, services, "account-deleted", user.email, null);
    await accounts.deleteUser(user.id);
    deleteCookie(c, sessionCookieName, { path: "/" });
    return c.body(null, 204);
  });
}

export type PrivateAuthRoutes = ReturnType<typeof privateAuthRoutes>;
