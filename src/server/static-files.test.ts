import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { brotliDecompressSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

let server: TestServer;
let webRoot: string;

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), "hearth-web-"));
  mkdirSync(join(webRoot, "assets"));
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Hearth UI</title>");
  writeFileSync(join(webRoot, "assets", "app-1234.js"), "console.log('hearth');");
  writeFileSync(join(webRoot, "assets", "big-5678.js"), `export const words = ${JSON.stringify(Array.from({ length: 4000 }, (_, index) => `word${index % 50}`))};\n`);
  writeFileSync(join(webRoot, "..", "hearth-outside-secret.txt"), "secret");
  server = await startTestServer(undefined, { webRoot });
});
afterAll(async () => {
  await server.close();
  rmSync(webRoot, { recursive: true, force: true });
  rmSync(join(webRoot, "..", "hearth-outside-secret.txt"), { force: true });
});

/** A raw GET, so that ".." in the path reaches the server as sent (fetch would normalise it). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const outgoing = request({ hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (part: Buffer) => (body += part.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("hearth serve: the built UI", () => {
  it("serves index.html at / and for client routes, assets with their type, never files outside the build", async () => {
    const home = await fetch(`${server.url}/`);
    expect(home.headers.get("content-type")).toMatch(/text\/html/);
    expect(await home.text()).toContain("Hearth UI");
    const route = await fetch(`${server.url}/workspaces/abc/library`);
    expect(await route.text()).toContain("Hearth UI");
    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toContain("hearth");
    for (const path of ["/../hearth-outside-secret.txt", "/%2e%2e/hearth-outside-secret.txt", "/assets/..%2f..%2fhearth-outside-secret.txt"]) {
      const response = await rawGet(path);
      expect(response.body).not.toContain("secret");
    }
  });

  it("sends text assets brotli- or gzip-compressed to clients that accept it, and as they are to others", async () => {
    const raw = await new Promise<{ encoding: string | undefined; vary: string | undefined; bytes: Buffer }>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const outgoing = request({ hostname, port, path: "/assets/big-5678.js", headers: { "accept-encoding": "gzip, br" } }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (part: Buffer) => parts.push(part));
        response.on("end", () =>
          resolve({ encoding: response.headers["content-encoding"], vary: response.headers.vary, bytes: Buffer.concat(parts) }),
        );
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
    expect(raw.encoding).toBe("br");
    expect(raw.vary).toMatch(/accept-encoding/i);
    const plain = brotliDecompressSync(raw.bytes).toString("utf8");
    expect(plain).toContain("word49");
    expect(raw.bytes.length).toBeLessThan(Buffer.byteLength(plain) / 4);
    const gzipOnly = await fetch(`${server.url}/assets/big-5678.js`, { headers: { "accept-encoding": "gzip" } });
    expect(gzipOnly.headers.get("content-encoding")).toBe("gzip");
    expect(await gzipOnly.text()).toBe(plain);
    const identity = await fetch(`${server.url}/assets/big-5678.js`, { headers: { "accept-encoding": "identity" } });
    expect(identity.headers.get("content-encoding")).toBeNull();
    expect(identity.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("answers unknown /api paths with JSON (401 before sign-in), not the page", async () => {
    const response = await fetch(`${server.url}/api/unknown`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in first" });
  });
});
