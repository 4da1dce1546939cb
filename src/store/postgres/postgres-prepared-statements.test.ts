/**
 * The statements every question runs (the library version, the workspace's provider setting, the sign-in session,
 * the member's role, the workspace, the audit line) are sent as named statements, parsed and planned once per
 * connection (bench/postgres-round-trips.ts: about 35 µs of CPU saved per call). Checked: each goes out under its
 * own name, the names are distinct (the library store and the accounts share one pool per URL, and one name must
 * always mean one text), and results are as before.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import * as z from "zod";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import type { Store } from "../types.ts";
import { openPostgresAccounts } from "./postgres-accounts.ts";
import { openPostgresStore } from "./postgres-store.ts";

const provider = { key: "prepared-test-provider", schema: z.object({ model: z.string() }) };

/** The names (or "" for unnamed) of the statements `work` sends, in order. */
async function namesSent(work: () => Promise<unknown>): Promise<{ name: string; text: string }[]> {
  const sent: { name: string; text: string }[] = [];
  const original = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    if (typeof first === "string") sent.push({ name: "", text: first });
    else {
      const config = first as { name?: string; text?: string };
      sent.push({ name: config.name ?? "", text: config.text ?? "" });
    }
    return (original as (...values: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

describe.skipIf(withoutPostgres())("PostgreSQL: the per-question statements are named", () => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresStore({ url: database.url, workspaceId: "prepared" });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("sends the library version and a setting as named statements, with the same results", async () => {
    await store.settings.set(provider, { model: "m1" });
    const sent = await namesSent(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(await store.version()).toBeGreaterThan(0);
        expect(await store.settings.get(provider)).toEqual({ model: "m1" });
      }
    });
    expect(sent.map((statement) => statement.name)).toEqual(Array.from({ length: 3 }, () => ["hearth_library_version", "hearth_setting"]).flat());
  });

  it("sends the session, role, workspace and audit statements of a request as named statements", async () => {
    const accounts = await openPostgresAccounts(database.url);
    try {
      const user = await accounts.createUser({ email: "prepared@example.org", name: "Prepared", password: "a long enough password" });
      if (!user.ok) throw user.error;
      const workspace = await accounts.createWorkspace("Prepared", user.value.id);
      const { token } = await accounts.createAuthSession(user.value.id, 60_000);
      const sent = await namesSent(async () => {
        expect((await accounts.findAuthSession(token))?.user.id).toBe(user.value.id);
        expect(await accounts.findAuthSession("not a token")).toBeUndefined();
        expect(await accounts.getRole(workspace.id, user.value.id)).toBe("admin");
        expect((await accounts.getWorkspace(workspace.id))?.name).toBe("Prepared");
        await accounts.recordAudit({ userId: user.value.id, workspaceId: workspace.id, action: "question", detail: "Which homes?" });
      });
      expect(sent.map((statement) => statement.name)).toEqual(["hearth_auth_session", "hearth_auth_session", "hearth_role", "hearth_workspace", "hearth_audit"]);
      expect((await accounts.listAudit(workspace.id, 10)).map((event) => event.detail)).toContain("Which homes?");
    } finally {
      await accounts.close();
    }
  });

  it("never gives one name to two texts", async () => {
    const sent = await namesSent(async () => {
      await store.version();
      await store.settings.get(provider);
      await store.passages.searchText({ terms: [{ phrase: ["care"], weight: 1 }], limit: 5 });
    });
    const texts = new Map<string, string>();
    for (const { name, text } of sent) {
      if (name === "") continue;
      expect(texts.get(name) ?? text).toBe(text);
      texts.set(name, text);
    }
  });
});
