/**
 * The built UI (web/dist) at /, with index.html for any other non-API path so that client-side routes load.
 * Paths are resolved inside web/dist only; without a build, / says how to make one.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
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

const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map", ".ico"]);
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

interface Encoded {
  raw: Uint8Array;
  br?: Uint8Array;
  gzip?: Uint8Array;
  modified: number;
}

/** Each text file compressed once (brotli at its best level, gzip for older clients), kept while unchanged. */
const encodedFiles = new Map<string, Encoded>();

async function encodedFile(file: string, modified: number): Promise<Encoded> {
  const cached = encodedFiles.get(file);
  if (cached && cached.modified === modified) return cached;
  const raw = new Uint8Array(await readFile(file));
  const entry: Encoded = { raw, modified };
  if (compressible.has(extname(file).toLowerCase()) && raw.length > 1024) {
    entry.br = new Uint8Array(await brotli(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
    entry.gzip = new Uint8Array(await gzipped(raw, { level: 9 }));
  }
  encodedFiles.set(file, entry);
  return entry;
}

/** The best encoding the client accepts (q=0 refuses one). */
function acceptedEncoding(header: string | undefined, entry: Encoded): "br" | "gzip" | undefined {
  if (!header) return undefined;
  const accepts = (name: string): boolean =>
    header.split(",").some((part) => {
      const [token, ...parameters] = part.trim().split(";");
      const q = parameters.map((parameter) => /^\s*q=([\d.]+)/.exec(parameter)?.[1]).find(Boolean);
      return token?.trim().toLowerCase() === name && (q === undefined || Number(q) > 0);
    });
  if (entry.br && accepts("br")) return "br";
  if (entry.gzip && accepts("gzip")) return "gzip";
  return undefined;
}

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
    const modified = info?.isFile() ? info.mtimeMs : ((await stat(file).catch(() => undefined))?.mtimeMs ?? 0);
    const entry = await encodedFile(file, modified);
    const encoding = acceptedEncoding(c.req.header("accept-encoding"), entry);
    const body = encoding ? (entry[encoding] ?? entry.raw) : entry.raw;
    const headers: Record<string, string> = { "Content-Type": type, "Cache-Control": cache, Vary: "Accept-Encoding", ...securityHeaders };
    if (encoding) headers["Content-Encoding"] = encoding;
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  });
}
