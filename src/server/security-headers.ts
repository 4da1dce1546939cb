/**
 * Headers on every response: a strict Content-Security-Policy (scripts, styles and connections from this origin
 * only; no inline script, no plugins, no framing, no <base> or foreign form targets), no MIME sniffing, no framing,
 * no referrer beyond this site, and no caching of API answers by shared caches.
 */
import type { MiddlewareHandler } from "hono";
import type { ServerEnv } from "./server-types.ts";

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders: MiddlewareHandler<ServerEnv> = async (c, next) => {
  await next();
  c.res.headers.set("Content-Security-Policy", contentSecurityPolicy);
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  c.res.headers.set("X-Frame-Options", "DENY");
  c.res.headers.set("Referrer-Policy", "same-origin");
  c.res.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  if (c.req.path.startsWith("/api/") && !c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
