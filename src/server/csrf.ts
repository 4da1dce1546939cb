/**
 * CSRF protection: every state-changing request from a signed-in user must carry `x-csrf-token` equal to the
 * token bound to its sign-in session (handed out by GET /api/me). A cross-site form cannot read that token, and
 * SameSite=Strict keeps the cookie off cross-site requests as a second line.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http-error.ts";
import type { ServerEnv } from "./server-types.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
export const csrfHeaderName = "x-csrf-token";

function same(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const csrfProtection: MiddlewareHandler<ServerEnv> = async (c, next) => {
  if (!safeMethods.has(c.req.method)) {
    const auth = c.get("auth");
    const sent = c.req.header(csrfHeaderName);
    if (!auth || !sent || !same(sent, auth.session.csrfToken)) {
      throw new HttpError(403, "Missing or wrong CSRF token (send the x-csrf-token header from GET /api/me)");
    }
  }
  await next();
};
