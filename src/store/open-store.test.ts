import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { HearthError } from "../errors/hearth-error.ts";
import { openStore } from "./open-store.ts";
import { runHearth } from "../../test/support/run-hearth.ts";

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "hearth-open-store-"));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("openStore", () => {
  it("opens a folder as the SQLite library <folder>/hearth.db, creating it", async () => {
    const folder = join(temporaryFolder(), "nested", "library");
    const store = await openStore({ url: folder });
    expect(store.kind).toBe("sqlite");
    expect(store.location).toBe(join(folder, "hearth.db"));
    expect(existsSync(join(folder, "hearth.db"))).toBe(true);
    expect(await store.documents.list()).toEqual([]);
    await store.close();
  });

  it("opens a postgres:// URL as the PostgreSQL store, naming an unreachable server without its password", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const opened = openStore({ url: "postgres://hearth:s3cret@127.0.0.1:1/hearth", workspaceId: "default" });
    await expect(opened).rejects.toBeInstanceOf(HearthError);
    await expect(opened).rejects.toMatchObject({ code: "STORE_FAILED" });
    await expect(opened).rejects.toThrow(/postgres:\/\/hearth:\*\*\*@127\.0\.0\.1:1\/hearth: cannot connect to PostgreSQL/);
    await expect(opened).rejects.not.toThrow(/s3cret/);
  });

  it("refuses an empty location and other URL schemes", async () => {
    await expect(openStore({ url: "  " })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(openStore({ url: "mysql://localhost/hearth" })).rejects.toThrow(/not a library location/);
  });
});

describe("the store setting", () => {
  it("reads HEARTH_STORE_URL, and --store overrides it; unset, the library is the data folder", () => {
    const unset = loadConfig({ HEARTH_DATA: "/srv/hearth" });
    expect(unset.ok && unset.value.storeUrl).toBeUndefined();
    const fromEnvironment = loadConfig({ HEARTH_DATA: "/srv/hearth", HEARTH_STORE_URL: "/srv/library" });
    expect(fromEnvironment.ok && fromEnvironment.value.storeUrl).toBe("/srv/library");
    const overridden = loadConfig({ HEARTH_DATA: "/srv/hearth", HEARTH_STORE_URL: "/srv/library" }, { storeUrl: "/elsewhere" });
    expect(overridden.ok && overridden.value.storeUrl).toBe("/elsewhere");
  });

  it("hearth --store <folder> keeps the library there, not in the data folder", async () => {
    const data = temporaryFolder();
    const library = join(temporaryFolder(), "library");
    const listed = await runHearth(["--store", library, "list"], { data });
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(existsSync(join(library, "hearth.db"))).toBe(true);
    expect(existsSync(join(data, "hearth.db"))).toBe(false);
    // HEARTH_STORE_URL reaches every command: here a PostgreSQL server that is not there (port 1 on loopback).
    const refused = await runHearth(["list"], { data, env: { HEARTH_STORE_URL: "postgres://hearth@127.0.0.1:1/hearth" } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/postgres:\/\/hearth@127\.0\.0\.1:1\/hearth: cannot connect to PostgreSQL/);
  });
});
