/** `hearth migrate` between two PostgreSQL workspaces (SQLite to PostgreSQL is tested once the async SQLite store merges). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { Command } from "commander";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../test/support/postgres.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { cambridgeshire, somerset } from "../store/store-contract.ts";
import { openPostgresStore } from "../store/postgres/postgres-store.ts";
import { registerMigrateCommand } from "./migrate-command.ts";
import type { CommandContext } from "./program.ts";

class Captured extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function migrate(args: string[]): Promise<{ stdout: string; error: unknown }> {
  const stdout = new Captured();
  const context: CommandContext = {
    io: { environment: {}, stdout, stderr: new Captured() },
    config: () => ({ dataDir: "/nonexistent/hearth-data" }) as ReturnType<CommandContext["config"]>,
    setExitCode: () => {},
  };
  const program = new Command().exitOverride();
  registerMigrateCommand(program, context);
  try {
    await program.parseAsync(["migrate", ...args], { from: "user" });
    return { stdout: stdout.text, error: undefined };
  } catch (error) {
    return { stdout: stdout.text, error };
  }
}

describe.skipIf(withoutPostgres() || withoutCorpus())("hearth migrate", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const source = await openPostgresStore({ url: database.url, workspaceId: "laptop" });
    for (const sample of [cambridgeshire(), somerset()]) await source.documents.replace(sample.document, sample.units, sample.chunks);
    await source.close();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("copies a workspace into an empty one and says what it verified", async () => {
    const run = await migrate(["--from", database.url, "--from-workspace", "laptop", "--to", database.url, "--workspace", "team"]);
    expect(run.error).toBeUndefined();
    expect(run.stdout).toMatch(/copied +Cambridgeshire Placement Strategy 2011-2015\.txt \(1\/2\)/);
    expect(run.stdout).toMatch(/verified +2 documents, \d+ passages, \d+ units, 0 data tables \(0 rows\), 0 sessions \(0 exchanges\), 0 settings: content hashes and counts match/);
    const team = await openPostgresStore({ url: database.url, workspaceId: "team" });
    expect((await team.documents.list()).map((document) => document.fileName)).toHaveLength(2);
    await team.close();
  });

  it("refuses a full target, the same library, a folder without a library and a target that is not PostgreSQL", async () => {
    expect((await migrate(["--from", database.url, "--from-workspace", "laptop", "--to", database.url, "--workspace", "team"])).error).toMatchObject({
      message: expect.stringMatching(/already holds a library/),
    });
    expect((await migrate(["--from", database.url, "--from-workspace", "laptop", "--to", database.url, "--workspace", "laptop"])).error).toMatchObject({
      message: expect.stringMatching(/the source and the target are the same library/),
    });
    expect((await migrate(["--from", "/nonexistent/library", "--to", database.url])).error).toMatchObject({
      code: "FILE_NOT_FOUND",
      message: expect.stringMatching(/no Hearth library here/),
    });
    expect((await migrate(["--to", "/tmp/elsewhere"])).error).toMatchObject({ message: expect.stringMatching(/--to must be a postgres:\/\/ URL/) });
  });
});
