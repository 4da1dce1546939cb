/**
 * Sign-in: first-run setup, login and logout, the session cookie and the middleware that finds the caller.
 * The cookie holds a random token (only its hash is stored); it is httpOnly, SameSite=Strict and Secure on https.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { UserRecord, WorkspaceRecord } from "../store/accounts-types.ts";
import { HttpError, notSignedIn, readJson } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";

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

export const publicUser = (user: UserRecord): { id: string; email: string; name: string } => ({
  id: user.id,
  email: user.email,
  name: user.name,
});

export const publicWorkspace = (workspace: WorkspaceRecord, role: string): { id: string; name: string; role: string } => ({
  id: workspace.id,
  name: workspace.name,
  role,
});

/** The client address from the socket; forwarded headers are not trusted (Hearth is not deployed behind a proxy). */
export function clientAddress(c: Context<ServerEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? "unknown";
}

function startSession(c: Context<ServerEnv>, services: ServerServices, user: UserRecord): void {
  const { token } = services.accounts.createAuthSession(user.id, sessionLifetimeMs);
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
    const session = token ? services.accounts.findAuthSession(token) : undefined;
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

/** Routes that work without signing in: setup and login. */
export function registerPublicAuthRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  const { accounts, loginLimiter } = services;

  app.get("/api/setup", (c) => c.json({ needsSetup: accounts.countUsers() === 0 }));

  app.post("/api/setup", async (c) => {
    if (accounts.countUsers() > 0) throw new HttpError(409, "Hearth is already set up; sign in instead");
    const body = await readJson(c.req.raw, setupSchema);
    // Checked again after the slow password hash: two setups racing must not both create an admin.
    const created = await accounts.createUser({ email: body.email, name: body.name, password: body.password });
    if (!created.ok) throw new HttpError(409, created.error.message, { cause: created.error });
    if (accounts.countUsers() > 1) throw new HttpError(409, "Hearth is already set up; sign in instead");
    const user = created.value;
    const workspace = accounts.createWorkspace(body.workspaceName, user.id);
    accounts.recordAudit({ userId: user.id, workspaceId: null, action: "sign-in", detail: "first-run setup" });
    accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "workspace-created", detail: workspace.name });
    startSession(c, services, user);
    return c.json({ user: publicUser(user), workspace: publicWorkspace(workspace, "admin") }, 201);
  });

  app.post("/api/auth/login", async (c) => {
    const body = await readJson(c.req.raw, loginSchema);
    const key = `${body.email}\u0000${clientAddress(c)}`;
    const wait = loginLimiter.retryAfterSeconds(key);
    if (wait > 0) {
      throw new HttpError(429, `Too many failed sign-ins for ${body.email}; try again in ${Math.ceil(wait / 60)} minutes`, {
        headers: { "Retry-After": String(wait) },
      });
    }
    const user = await accounts.verifyPassword(body.email, body.password);
    if (!user) {
      loginLimiter.recordFailure(key);
      const known = accounts.findUserByEmail(body.email);
      if (known) accounts.recordAudit({ userId: known.id, workspaceId: null, action: "sign-in-failed", detail: `from ${clientAddress(c)}` });
      throw new HttpError(401, "Wrong email or password");
    }
    loginLimiter.reset(key);
    accounts.recordAudit({ userId: user.id, workspaceId: null, action: "sign-in", detail: `from ${clientAddress(c)}` });
    startSession(c, services, user);
    return c.json({ user: publicUser(user) });
  });
}

/** Routes for a signed-in caller (behind requireUser and the CSRF check). */
export function registerPrivateAuthRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  app.get("/api/me", (c) => {
    const auth = c.get("auth");
    if (!auth) throw notSignedIn();
    return c.json({ user: publicUser(auth.session.user), csrfToken: auth.session.csrfToken });
  });

  app.post("/api/auth/logout", (c) => {
    const auth = c.get("auth");
    if (auth) services.accounts.deleteAuthSession(auth.token);
    deleteCookie(c, sessionCookieName, { path: "/" });
    return c.body(null, 204);
  });
}
