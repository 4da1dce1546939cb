/**
 * DNS rebinding: a request that reaches the server under another site's name (Host: attacker.example, what the
 * victim's browser sends once attacker.example resolves to 127.0.0.1) is refused; the server's own names work.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import type { HearthConfig } from "../config/config.ts";
import { hostAllowed, parseHostHeader } from "./host-check.ts";
import { startTestServer } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

let server: TestServer;
let port: number;

beforeAll(async () => {
  server = await startTestServer();
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

/** A GET to the test server on 127.0.0.1 with the Host header given (fetch would send the URL's own). */
function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, method: "GET", headers: { host } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("host check (DNS rebinding)", () => {
  it("refuses a request to 127.0.0.1 that names another site in Host, on the API and the pages alike", async () => {
    for (const path of ["/api/health", "/api/setup", "/"]) {
      const attacked = await getWithHost(path, `attacker.example:${port}`);
      expect(attacked.status, path).toBe(421);
      expect(attacked.body).not.toContain("maxUploadBytes");
    }
    const refused = await getWithHost("/api/health", "attacker.example");
    expect(refused.status).toBe(421);
    expect((JSON.parse(refused.body) as { error: string }).error).toMatch(/does not answer for the host "attacker\.example"/);
    // A loopback name on another port is not this server either.
    expect((await getWithHost("/api/health", `127.0.0.1:${port + 1}`)).status).toBe(421);
  });

  it("answers its own loopback names with its port", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const answered = await getWithHost("/api/health", host);
      expect(answered.status, host).toBe(200);
      expect(answered.body).toContain('"ok":true');
    }
    // And fetch, as every other test and the browser use it.
    expect((await fetch(`${server.url}/api/setup`)).status).toBe(200);
  });
});

describe("host check rules", () => {
  const base = (): HearthConfig["server"] => {
    const loaded = loadConfig({} as NodeJS.ProcessEnv, { dataDir: "/nonexistent", host: "127.0.0.1", port: 8787 });
    if (!loaded.ok) throw loaded.error;
    return loaded.value.server;
  };
  const allowed = (server: HearthConfig["server"], header: string, localPort = 8787): boolean => {
    const host = parseHostHeader(header);
    return host !== undefined && hostAllowed(server, host, localPort);
  };

  it("behind a reverse proxy, answers the configured origin's host (default port implied) and loopback, nothing else", () => {
    const server = { ...base(), origin: "https://hearth.example.org" };
    expect(allowed(server, "hearth.example.org")).toBe(true);
    expect(allowed(server, "hearth.example.org:443")).toBe(true);
    expect(allowed(server, "Hearth.Example.Org")).toBe(true);
    expect(allowed(server, "hearth.example.org:8443")).toBe(false);
    expect(allowed(server, "attacker.example")).toBe(false);
    expect(allowed(server, "localhost:8787")).toBe(true);
  });

  it("listening beyond loopback without an origin, answers addresses but no foreign name", () => {
    const server = { ...base(), host: "0.0.0.0" };
    expect(allowed(server, "192.168.1.20:8787")).toBe(true);
    expect(allowed(server, "[fe80::1]:8787")).toBe(true);
    expect(allowed(server, "attacker.example:8787")).toBe(false);
    expect(allowed(server, "192.168.1.20:9999")).toBe(false);
  });

  it("refuses Host headers that are not a host", () => {
    expect(parseHostHeader("")).toBeUndefined();
    expect(parseHostHeader("a:b:c")).toBeUndefined();
    expect(parseHostHeader("user@host")).toBeUndefined();
    expect(parseHostHeader("[::1]:8787")).toEqual({ name: "[::1]", port: 8787 });
    expect(allowed(base(), "user@localhost:8787")).toBe(false);
  });
});
