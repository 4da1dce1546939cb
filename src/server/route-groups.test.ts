/**
 * The route groups as typed sub-apps: roles and validation run as middleware before the handler, in an order that
 * keeps the answers the routes gave when the checks lived in the handlers (who may ask first, then whether the
 * thing exists, then whether the body is good), and a group's middleware stays on its own paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startServerWithAdmin, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

let server: TestServer;
let admin: ApiClient;
let viewer: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  ({ server, admin, workspaceId } = await startServerWithAdmin(undefined, { workspaceName: "Oak Homes" }));
  const added = await admin.call("POST", `/api/workspaces/${workspaceId}/members`, {
    json: { email: "vic@example.org", name: "Vic", role: "viewer", password: testPassword },
  });
  expect(added.status).toBe(201);
  viewer = new ApiClient(server.url);
  expect(await viewer.signIn("vic@example.org", testPassword)).toBe(200);
});
afterAll(async () => {
  await server.close();
});

describe("route groups", () => {
  it("answers a bad body with 400 naming the field, and a body that is not JSON with 400 as {error}", async () => {
    const bad = await admin.call<{ error: string }>("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { email: "amy@example.org", role: "owner" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^role: /);
    const garbled = await admin.call<{ error: string }>("POST", `/api/workspaces/${workspaceId}/invitations`, {
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error).toMatch(/JSON/);
  });

  it("checks the role before the body: a viewer's bad body is 403, not 400", async () => {
    const refused = await viewer.call("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { nonsense: true } });
    expect(refused.status).toBe(403);
    const draft = await viewer.call("POST", `/api/workspaces/${workspaceId}/drafts`, { json: {} });
    expect(draft.status).toBe(403);
  });

  it("answers 409 to a second setup and 404 for an unknown user or document before reading the body", async () => {
    const again = await new ApiClient(server.url).call("POST", "/api/setup", { json: { name: "" } });
    expect(again.status).toBe(409);
    expect((await admin.call("PATCH", "/api/admin/users/no-such-user", { json: { serverAdmin: "yes" } })).status).toBe(404);
    expect((await admin.call("PUT", `/api/workspaces/${workspaceId}/documents/999/authority`, { json: { authority: 42 } })).status).toBe(404);
  });

  it("keeps the admin group's server-admin check on /api/admin/* only", async () => {
    expect((await viewer.call("GET", "/api/admin/users")).status).toBe(403);
    expect((await viewer.call("GET", `/api/workspaces/${workspaceId}/documents`)).status).toBe(200);
    expect((await viewer.call("GET", "/api/invitations")).status).toBe(200);
    expect((await viewer.call("GET", `/api/workspaces/${workspaceId}/sessions`)).status).toBe(200);
  });
});
