import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestServer, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

let server: TestServer;
let workspaceId: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Every route behind sign-in, with an id that does not exist (401 must come before any lookup). */
const privateRoutes: [string, string][] = [
  ["GET", "/api/me"],
  ["POST", "/api/auth/logout"],
  ["GET", "/api/workspaces"],
  ["POST", "/api/workspaces"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/members"],
  ["POST", "/api/workspaces/00000000-0000-0000-0000-000000000000/members"],
  ["PATCH", "/api/workspaces/00000000-0000-0000-0000-000000000000/members/x"],
  ["DELETE", "/api/workspaces/00000000-0000-0000-0000-000000000000/members/x"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents"],
  ["POST", "/api/workspaces/00000000-0000-0000-0000-000000000000/uploads"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/uploads/x/events"],
  ["DELETE", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents/1"],
  ["POST", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents/1/reingest"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents/1/units"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents/1/pages/1/image"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents/1/file"],
  ["POST", "/api/workspaces/00000000-0000-0000-0000-000000000000/ask"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/sessions"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/sessions/s"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/sessions/s/export?format=md"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/settings"],
  ["PUT", "/api/workspaces/00000000-0000-0000-0000-000000000000/settings"],
  ["POST", "/api/workspaces/00000000-0000-0000-0000-000000000000/settings/test-provider"],
  ["GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/audit"],
];

describe("hearth serve: sign-in", () => {
  it("answers health without signing in", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      maxUploadBytes: server.config.server.maxUploadBytes,
    });
  });

  it("answers 401 {error} to every private route without a session, and to a forged cookie", async () => {
    const anonymous = new ApiClient(server.url);
    for (const [method, path] of privateRoutes) {
      const result = await anonymous.call(method, path, method === "GET" ? {} : { json: {} });
      expect([method, path, result.status]).toEqual([method, path, 401]);
      expect(result.body).toEqual({ error: expect.any(String) });
    }
    const forged = new ApiClient(server.url);
    forged.cookie = "hearth_session=not-a-real-token";
    expect((await forged.call("GET", "/api/workspaces")).status).toBe(401);
  });

  it("sets up the first admin once, then answers 409", async () => {
    const admin = new ApiClient(server.url);
    expect((await admin.call("GET", "/api/setup")).body).toEqual({ needsSetup: true });
    const short = await admin.call("POST", "/api/setup", {
      json: { name: "Ann", email: "ann@example.org", password: "too short", workspaceName: "Homes" },
    });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({ error: expect.stringContaining("10 characters") });

    const setupResponse = await admin.request("POST", "/api/setup", {
      json: { name: "Ann", email: "ann@example.org", password: testPassword, workspaceName: "Homes" },
    });
    expect(setupResponse.status).toBe(201);
    const cookieHeader = setupResponse.headers.get("set-cookie") ?? "";
    expect(cookieHeader).toMatch(/^hearth_session=/);
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Strict/i);
    expect(cookieHeader).toMatch(/Path=\//);
    const created = (await setupResponse.json()) as { user: { email: string }; workspace: { id: string; role: string } };
    expect(created.user.email).toBe("ann@example.org");
    expect(created.workspace.role).toBe("admin");
    workspaceId = created.workspace.id;

    await admin.refreshCsrf();
    expect((await admin.call("GET", "/api/workspaces")).body).toEqual({ workspaces: [{ id: workspaceId, name: "Homes", role: "admin" }] });
    expect((await admin.call("GET", "/api/setup")).body).toEqual({ needsSetup: false });
    const again = await new ApiClient(server.url).call("POST", "/api/setup", {
      json: { name: "Mallory", email: "m@example.org", password: testPassword, workspaceName: "Mine" },
    });
    expect(again.status).toBe(409);
  });

  it("signs in, refuses a wrong password with 401, and signs out", async () => {
    const client = new ApiClient(server.url);
    const wrong = await client.call("POST", "/api/auth/login", { json: { email: "ann@example.org", password: "not the password" } });
    expect(wrong).toEqual({ status: 401, body: { error: "Wrong email or password" } });
    const unknown = await client.call("POST", "/api/auth/login", { json: { email: "nobody@example.org", password: testPassword } });
    expect(unknown.status).toBe(401);

    expect(await client.signIn("ANN@example.org", testPassword)).toBe(200);
    const me = await client.call<{ user: { email: string }; csrfToken: string }>("GET", "/api/me");
    expect(me.body.user.email).toBe("ann@example.org");
    expect(me.body.csrfToken.length).toBeGreaterThan(20);
    const oldCookie = client.cookie;

    expect((await client.call("POST", "/api/auth/logout")).status).toBe(204);
    expect((await client.call("GET", "/api/me")).status).toBe(401);
    // The old cookie no longer works either: the session is gone on the server.
    const replay = new ApiClient(server.url);
    replay.cookie = oldCookie;
    expect((await replay.call("GET", "/api/workspaces")).status).toBe(401);
  });

  it("refuses a state-changing request without the CSRF token, or with another session's, with 403", async () => {
    const client = new ApiClient(server.url);
    expect(await client.signIn("ann@example.org", testPassword)).toBe(200);
    const other = new ApiClient(server.url);
    expect(await other.signIn("ann@example.org", testPassword)).toBe(200);

    const missing = await client.call("POST", "/api/workspaces", { json: { name: "No token" }, csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error: expect.stringContaining("CSRF") });
    const wrongToken = await client.call("POST", "/api/workspaces", { json: { name: "Wrong token" }, headers: { "x-csrf-token": other.csrfToken ?? "" }, csrf: false });
    expect(wrongToken.status).toBe(403);
    const logout = await client.call("POST", "/api/auth/logout", { csrf: false });
    expect(logout.status).toBe(403);

    const created = await client.call<{ workspace: { name: string; role: string } }>("POST", "/api/workspaces", { json: { name: "With token" } });
    expect(created.status).toBe(201);
    expect(created.body.workspace).toMatchObject({ name: "With token", role: "admin" });
  });

  it("answers 429 with Retry-After after 5 failed sign-ins for one email, and still lets others in", async () => {
    const client = new ApiClient(server.url);
    const created = await (async () => {
      const admin = new ApiClient(server.url);
      await admin.signIn("ann@example.org", testPassword);
      return admin.call("POST", `/api/workspaces/${workspaceId}/members`, {
        json: { email: "target@example.org", name: "Target", role: "viewer", password: testPassword },
      });
    })();
    expect(created.status).toBe(201);
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await client.call("POST", "/api/auth/login", { json: { email: "target@example.org", password: `guess ${attempt}` } });
      expect(result.status).toBe(401);
    }
    const locked = await client.request("POST", "/api/auth/login", { json: { email: "target@example.org", password: testPassword } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(((await locked.json()) as { error: string }).error).toMatch(/Too many failed sign-ins/);
    // Another account from the same address is not locked out.
    expect(await new ApiClient(server.url).signIn("ann@example.org", testPassword)).toBe(200);
  });

  it("answers unknown API routes with 404 JSON and / with a page", async () => {
    const client = new ApiClient(server.url);
    await client.signIn("ann@example.org", testPassword);
    expect(await client.call("GET", "/api/nothing-here")).toEqual({ status: 404, body: { error: "No such API route" } });
    const page = await fetch(`${server.url}/some/client/route`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });
});
