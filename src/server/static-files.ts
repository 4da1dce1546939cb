/**
 * The built UI (web/dist) at /, with index.html for any other non-API path so that client-side routes load.
 * Paths are resolved inside web/dist only; without a build, / says how to make one.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { ServerEnv } from "./server-types.ts";

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist", import.meta.url));

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

const missingBuild = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hearth</title></head>
<body><h1>Hearth</h1><p>The web interface has not been built yet: run <code>npm run build:web</code>, then reload.</p>
<p>The API is running at <code>/api</code>.</p></body></html>`;

const securityHeaders = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
};

export function registerStaticFiles(app: Hono<ServerEnv>, webRoot: string = defaultWebRoot): void {
  const root = resolve(webRoot);
  app.get("*", async (c) => {
    const path = c.req.path;
    if (path.startsWith("/api/") || path === "/api") return c.json({ error: "No such API route" }, 404);
    if (!existsSync(join(root, "index.html"))) return c.html(missingBuild, 200, securityHeaders);
    let relative: string;
    try {
      relative = decodeURIComponent(path);
    } catch {
      return c.text("Bad path", 400);
    }
    const candidate = resolve(root, `.${normalize(`/${relative}`)}`);
    const inside = candidate === root || candidate.startsWith(root + sep);
    const info = inside ? await stat(candidate).catch(() => undefined) : undefined;
    const file = info?.isFile() ? candidate : join(root, "index.html");
    const type = contentTypes[extname(file).toLowerCase()] ?? "application/octet-stream";
    // Vite puts a content hash in asset names, so those can be cached for good; index.html must not be.
    const cache = file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    return c.body(new Uint8Array(await readFile(file)), 200, { "Content-Type": type, "Cache-Control": cache, ...securityHeaders });
  });
}
