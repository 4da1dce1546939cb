/**
 * `hearth migrate --to postgres://… [--from DIR|URL]`: copies a library into PostgreSQL (a laptop's SQLite library
 * to a team server, or one PostgreSQL workspace to another) and verifies the copy by content hashes and counts
 * (src/store/copy-library.ts). The source is only read; the target must be empty.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import type { Store } from "../store/types.ts";
import type { CommandContext } from "./program.ts";
import { count } from "./wording.ts";

interface MigrateOptions {
  to: string;
  from?: string;
  workspace?: string;
  fromWorkspace?: string;
}

/** A library by folder (SQLite) or URL (PostgreSQL); a folder without a library is an error, never a new one. */
async function openLibrary(location: string, workspaceId: string | undefined): Promise<Store> {
  const { isPostgresUrl } = await import("../store/postgres/postgres-url.ts");
  const { openStore } = await import("../store/open-store.ts");
  if (isPostgresUrl(location)) return openStore({ url: location, ...(workspaceId === undefined ? {} : { workspaceId }) });
  const { databaseFileName } = await import("../store/sqlite-store.ts");
  const directory = resolve(location);
  if (!existsSync(join(directory, databaseFileName))) {
    throw new HearthError("FILE_NOT_FOUND", `${directory}: no Hearth library here (no ${databaseFileName})`, { subject: directory });
  }
  return openStore({ url: directory });
}

export function registerMigrateCommand(program: Command, context: CommandContext): void {
  program
    .command("migrate")
    .description("copy the library into PostgreSQL (or another workspace), verified by content hashes and counts")
    .requiredOption("--to <url>", "the PostgreSQL database to copy into (postgres://user:password@host/database)")
    .option("--from <dir-or-url>", "the library to copy: a data folder (default: the configured one) or a postgres:// URL")
    .option("--workspace <id>", "the workspace to copy into (default: default)")
    .option("--from-workspace <id>", "the workspace to copy from, when --from is a PostgreSQL URL (default: default)")
    .action(async (options: MigrateOptions) => {
      const { io } = context;
      const { isPostgresUrl } = await import("../store/postgres/postgres-url.ts");
      if (!isPostgresUrl(options.to)) {
        throw new HearthError("INVALID_INPUT", `--to must be a postgres:// URL, not "${options.to}"`, { subject: "--to" });
      }
      const { copyLibrary } = await import("../store/copy-library.ts");
      const from = await openLibrary(options.from ?? context.config().dataDir, options.fromWorkspace);
      try {
        const to = await openLibrary(options.to, options.workspace);
        try {
          if (from.location === to.location) {
            throw new HearthError("INVALID_INPUT", `${from.location}: the source and the target are the same library`, { subject: "--to" });
          }
          io.stdout.write(`copying   ${from.location}\n     to   ${to.location}\n`);
          const started = Date.now();
          const report = await copyLibrary(from, to, (progress) => {
            if (progress.stage === "documents") io.stdout.write(`copied    ${progress.name ?? ""} (${progress.done}/${progress.total})\n`);
          });
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          io.stdout.write(
            `verified  ${count(report.documents, "document")}, ${count(report.passages, "passage")}, ${count(report.units, "unit")}, ` +
              `${count(report.tables, "data table")} (${count(report.tableRows, "row")}), ${count(report.sessions, "session")} ` +
              `(${count(report.exchanges, "exchange")}), ${count(report.settings, "setting")}: content hashes and counts match (${seconds} s)\n`,
          );
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
}
