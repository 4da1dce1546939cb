/**
 * Several `hearth serve` processes behind a load balancer: two servers (each its own data folder and its own
 * connection pool, as on two machines) on one PostgreSQL database share sign-ins, sign-outs and lockouts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../test/support/postgres.ts";
import { ApiClient, startTestServer, testPassword, type TestServer } from "./test-support.ts";

describe.skipIf(withoutPostgres())("two servers sharing PostgreSQL accounts", () => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;

  /** A distinct URL per server, so each has its own pool: nothing is shared but the database. */
  const urlFor = (name: string): string => {
    const url = new URL(database.url);
    url.searchParams.set("application_name", `hearth-${name}`);
    return url.toString();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startTestServer((config) => ({ ...config, storeUrl: urlFor("first") }));
    second = await startTestServer((config) => ({ ...config, storeUrl: urlFor("second") }));
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  /** The same browser (cookie and CSRF token) sent to the other server, as a load balancer would. */
  const sameBrowserOn = (client: ApiClient, server: TestServer): ApiClient => {
    const moved = new ApiClient(server.url);
    moved.cookie = client.cookie;
    moved.csrfToken = client.csrfToken;
    return moved;
  };

  it("sets up once when both servers are asked at the same moment", async () => {
    const asked = [new ApiClient(first.url), new ApiClient(second.url)];
    const answers = await Promise.all(
      asked.map((client, index) =>
        client.call("POST", "/api/setup", { json: { name: "Setup", email: `setup${index}@example.org`, password: testPassword, workspaceName: "Homes" } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect((await new ApiClient(second.url).call("GET", "/api/setup")).body).toEqual({ needsSetup: false });
  });

  it("signs in on one server and is signed in on the other; signing out on either ends it on both", async () => {
    const onFirst = new ApiClient(first.url);
    const admin = [0, 1].map((index) => `setup${index}@example.org`);
    let signedIn = false;
    for (const email of admin) if (!signedIn) signedIn = (await onFirst.signIn(email, testPassword)) === 200;
    expect(signedIn).toBe(true);
    const created = await onFirst.call<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: "Ann's homes" } });
    expect(created.status).toBe(201);
    const workspaceId = created.body.workspace.id;
    const added = await onFirst.call("POST", `/api/workspaces/${workspaceId}/members`, { json: { email: "ann@example.org", name: "Ann", role: "admin", password: testPassword } });
    expect(added.status).toBe(201);
    expect((await onFirst.call("POST", "/api/auth/logout")).status).toBe(204);
    expect(await onFirst.signIn("ann@example.org", testPassword)).toBe(200);

    const onSecond = sameBrowserOn(onFirst, second);
    const me = await onSecond.call<{ user: { email: string }; csrfToken: string }>("GET", "/api/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe("ann@example.org");
    expect(me.body.csrfToken).toBe(onFirst.csrfToken);
    // A write on the second server with the session and CSRF token the first handed out; seen by the first.
    const invited = await onSecond.call("POST", `/api/workspaces/${workspaceId}/invitations`, { json: { email: "bob@example.org", role: "editor" } });
    expect(invited.status).toBe(201);
    const members = await onFirst.call<{ invitations: { email: string }[] }>("GET", `/api/workspaces/${workspaceId}/members`);
    expect(members.body.invitations.map((invitation) => invitation.email)).toEqual(["bob@example.org"]);
    const audit = await onSecond.call<{ events: { action: string }[] }>("GET", `/api/workspaces/${workspaceId}/audit`);
    expect(audit.body.events.map((event) => event.action)).toEqual(expect.arrayContaining(["invited", "member-added", "sign-in"]));

    expect((await onSecond.call("POST", "/api/auth/logout")).status).toBe(204);
    expect((await onFirst.call("GET", "/api/me")).status).toBe(401);

    // Sign in again on the second; "sign out everywhere" on the first ends the second's session too.
    const again = new ApiClient(second.url);
    expect(await again.signIn("ann@example.org", testPassword)).toBe(200);
    const elsewhere = sameBrowserOn(again, first);
    expect((await elsewhere.call("GET", "/api/me")).status).toBe(200);
    expect((await elsewhere.call("POST", "/api/auth/logout-everywhere")).status).toBe(204);
    expect((await again.call("GET", "/api/me")).status).toBe(401);
  });

  it("locks an account out on every server after five failures spread over both", async () => {
    const attempts = [first, second, first, second, first].map((server) => new ApiClient(server.url));
    for (const attempt of attempts) expect(await attempt.signIn("ann@example.org", "a wrong password")).toBe(401);
    for (const server of [second, first]) {
      const locked = await new ApiClient(server.url).call<{ error: string }>("POST", "/api/auth/login", { json: { email: "ann@example.org", password: testPassword } });
      expect(locked.status).toBe(429);
      expect(locked.body.error).toMatch(/for ann@example\.org/);
    }
    // Another account from the same address is not locked (the per-address limit is 20).
    expect(await new ApiClient(second.url).signIn("nobody@example.org", "a wrong password")).toBe(401);
  });
});
