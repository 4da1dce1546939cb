/**
 * Cross-site request forgery, in two layers.
 *
 * 1. Every state-changing request under /api, signed in or not (sign-in and setup included: login CSRF), must be
 *    JSON or multipart and, when the browser says where it comes from, come from this site: a cross-site HTML form
 *    can only send text/plain, urlencoded or multipart bodies and always carries its Origin (or Sec-Fetch-Site).
 * 2. A signed-in caller must also send `x-csrf-token` equal to the token bound to its sign-in session (handed out by
 *    GET /api/me), which another site cannot read. SameSite=Strict keeps the cookie off cross-site requests besides.
 */
import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { HttpError } from "./http-error.ts";
import type { ServerEnv } from "./server-types.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
export const csrfHeaderName = "x-csrf-token";
const allowedBodyTypes = new Set(["application/json", "multipart/form-data"]);

function same(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hasBody(c: Context<ServerEnv>): boolean {
  const length = c.req.header("content-length");
  return c.req.header("transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}

/** Whether the request's Origin is this site: the configured origin, else the Host the request came to. */
function fromThisSite(c: Context<ServerEnv>, configuredOrigin: string | undefined): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) {
    // No Origin (curl, scripts, old browsers on same-origin GET-like posts): a browser that sends Sec-Fetch-Site
    // still tells a cross-site request apart.
    const site = c.req.header("sec-fetch-site");
    return site === undefined || site === "same-origin" || site === "none";
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and garbage
  }
  if (configuredOrigin) return parsed.origin === new URL(configuredOrigin).origin;
  const host = c.req.header("host");
  return host !== undefined && parsed.host.toLowerCase() === host.toLowerCase();
}

/** Layer 1, for every /api request: JSON or multipart only, from this site only. */
export function sameSiteWrites(configuredOrigin: string | undefined): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (!safeMethods.has(c.req.method)) {
      if (!fromThisSite(c, configuredOrigin)) throw new HttpError(403, "Refused: the request comes from another site");
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      if (hasBody(c) ? !allowedBodyTypes.has(type) : type !== "" && !allowedBodyTypes.has(type)) {
        throw new HttpError(415, "Send JSON (Content-Type: application/json) or multipart/form-data");
      }
    }
    await next();
  };
}

/** Layer 2, behind requireUser: the session's CSRF token on every state-changing request. */
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
