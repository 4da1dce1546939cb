/**
 * A throwaway PostgreSQL cluster for the test suite: `initdb` on a temporary folder, `pg_ctl start` on a free port
 * with its socket in that folder, and `pg_ctl stop` at the end. `.ci/run` starts one the same way and hands its URL
 * over in HEARTH_TEST_POSTGRES_URL; outside CI the suite starts its own when Debian's PostgreSQL is installed.
 * `initdb` refuses root, so as root the cluster runs as the `postgres` user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningPostgres {
  /** A superuser URL to the `postgres` database, over TCP on 127.0.0.1. */
  url: string;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<version>/bin), or undefined. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a cluster; throws with the tool's output when initdb or pg_ctl fails. `settings` are extra server settings
 * (`name=value`, e.g. a benchmark's shared_buffers), given after the test defaults so they win.
 */
export async function startPostgres(bin: string, settings: string[] = []): Promise<RunningPostgres> {
  const folder = mkdtempSync(join(tmpdir(), "hearth-postgres-"));
  const dataDir = join(folder, "data");
  const asRoot = process.getuid?.() === 0;
  // The postgres user must be able to enter the folder it writes its cluster and socket into.
  chmodSync(folder, 0o777);
  const run = (tool: string, args: string[]): void => {
    const command = asRoot ? "runuser" : join(bin, tool);
    const fullArgs = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args;
    const result = spawnSync(command, fullArgs, { encoding: "utf8", cwd: folder });
    // result.error: the command itself could not be run (runuser not on PATH, say), where status is null.
    if (result.error !== undefined) throw new Error(`${command} could not be run for ${tool}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  };
  const port = await freePort();
  run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200${settings
    .map((setting) => ` -c ${setting}`)
    .join("")}`;
  run("pg_ctl", ["-D", dataDir, "-o", options, "-l", join(folder, "server.log"), "-w", "-t", "60", "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

/** Whether `psql` can reach the URL (for a URL handed over from outside). */
export function canConnect(bin: string, url: string): boolean {
  try {
    execFileSync(join(bin, "psql"), [url, "-tAc", "select 1"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}
