/** `hearth users`: accounts administered on the server machine, and the one-time codes working on the web API. */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.ts";
import { startServer } from "../src/server/start-server.ts";
import { ApiClient } from "../src/server/test-support.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const data = temporaryDirectory("hearth-users-");
afterAll(() => rmSync(data, { recursive: true, force: true }));

const codeIn = (stdout: string): string => /One-time code: (\S+)/.exec(stdout)?.[1] ?? "";

describe("hearth users", () => {
  it("adds, lists, resets and removes accounts; the codes set passwords through the web API once", async () => {
    const first = await runHearth(["users", "add", "Ann@Example.org", "--name", "Ann"], { data });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Added ann@example.org as a server admin/);
    const second = await runHearth(["users", "add", "bob@example.org", "--name", "Bob", "--workspace", "Nowhere"], { data });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/no workspace is called "Nowhere"/);
    const bob = await runHearth(["users", "add", "bob@example.org", "--name", "Bob"], { data });
    expect(bob.code).toBe(0);

    const list = await runHearth(["users", "list", "--json"], { data });
    const users = (JSON.parse(list.stdout) as { users: { email: string; serverAdmin: boolean }[] }).users;
    expect(users.map((user) => [user.email, user.serverAdmin])).toEqual([
      ["ann@example.org", true],
      ["bob@example.org", false],
    ]);

    const loaded = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: data, host: "127.0.0.1", port: 0 });
    if (!loaded.ok) throw loaded.error;
    const server = await startServer({ config: loaded.value });
    try {
      const client = new ApiClient(server.url);
      const reset = (email: string, code: string): Promise<{ status: number }> =>
        client.call("POST", "/api/auth/reset", { json: { email, code, password: "ann's own long password" } });
      expect((await reset("ann@example.org", codeIn(bob.stdout))).status).toBe(400);
      expect((await reset("ann@example.org", codeIn(first.stdout))).status).toBe(200);
      expect((await reset("ann@example.org", codeIn(first.stdout))).status).toBe(400);
      expect(await new ApiClient(server.url).signIn("ann@example.org", "ann's own long password")).toBe(200);

      const again = await runHearth(["users", "reset", "ann@example.org"], { data });
      expect(again.stdout).toMatch(/Reset code for ann@example.org/);
      // The reset signed Ann out everywhere.
      expect((await client.call("GET", "/api/me")).status).toBe(401);
      expect((await reset("ann@example.org", codeIn(again.stdout))).status).toBe(200);
    } finally {
      await server.close();
    }

    const lastAdmin = await runHearth(["users", "remove", "ann@example.org"], { data });
    expect(lastAdmin.code).not.toBe(0);
    expect(lastAdmin.stderr).toMatch(/only server admin/);
    const removed = await runHearth(["users", "remove", "BOB@example.org"], { data });
    expect(removed.stdout).toBe("Removed bob@example.org.\n");
    const unknown = await runHearth(["users", "reset", "nobody@example.org"], { data });
    expect(unknown.stderr).toMatch(/no account has the email nobody@example.org/);
  });
});
