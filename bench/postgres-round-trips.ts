/**
 * `node --import tsx bench/postgres-round-trips.ts [statements]` (issue 14): what one small statement costs in CPU,
 * Node (this process) and PostgreSQL (the server and its backends, from /proc) together, sent the ways the store can
 * send it: unnamed (parsed and planned on every call), named (prepared once per connection), and what a statement
 * that needs planner settings used to cost around itself (`BEGIN; SET LOCAL …` and `COMMIT`, two round trips) against
 * a connection that carries the settings for its session (none). A throwaway PostgreSQL cluster, one workspace, the
 * library-version read as the statement (the first thing every answer reads). Rounds alternate the ways, so a
 * neighbour's load spreads over all of them; the least round per way is printed too.
 */
import { randomUUID } from "node:crypto";
import { acquirePostgresPool, releasePostgresPool } from "../src/store/postgres/postgres-connection.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.ts";
import { postmasterPid, processTreeCpuMilliseconds } from "./process-tree-cpu.ts";

const statements = Number(process.argv[2] ?? 20_000);
const rounds = 10;

const bin = findPostgresBin();
if (!bin) throw new Error("bench/postgres-round-trips.ts needs PostgreSQL (Debian: apt-get install postgresql)");
const postgres = await startPostgres(bin);
try {
  const workspaceId = randomUUID();
  const store = await openPostgresStore({ url: postgres.url, workspaceId });
  const pool = await acquirePostgresPool(postgres.url);
  const client = await pool.connect();
  const postmaster = postmasterPid(new URL(postgres.url).port);
  const sql = "SELECT version FROM library_versions WHERE workspace_id = $1";
  const ways: Record<string, () => Promise<unknown>> = {
    "unnamed statement": () => client.query(sql, [workspaceId]),
    "named statement": () => client.query({ name: "bench_version", text: sql, values: [workspaceId] }),
    "BEGIN; SET LOCAL … and COMMIT (the pair)": async () => {
      await client.query("BEGIN; SET LOCAL enable_seqscan = 'off'");
      await client.query("COMMIT");
    },
  };
  const spent = new Map<string, number[]>(Object.keys(ways).map((name) => [name, []]));
  const perRound = Math.ceil(statements / rounds);
  for (const send of Object.values(ways)) for (let index = 0; index < 200; index++) await send();
  for (let round = 0; round < rounds; round++) {
    for (const [name, send] of Object.entries(ways)) {
      const nodeBefore = process.cpuUsage();
      const serverBefore = postmaster === undefined ? NaN : (processTreeCpuMilliseconds([postmaster]) ?? NaN);
      for (let index = 0; index < perRound; index++) await send();
      const node = process.cpuUsage(nodeBefore);
      const server = postmaster === undefined ? NaN : (processTreeCpuMilliseconds([postmaster]) ?? NaN) - serverBefore;
      spent.get(name)!.push(((node.user + node.system) / 1000 + server) / perRound);
    }
  }
  console.log(`${perRound * rounds} of each, ${rounds} alternating rounds; CPU per call (Node + PostgreSQL), mean and least round:`);
  for (const [name, values] of spent) {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    console.log(`- ${name}: ${(mean * 1000).toFixed(0)} µs (least ${(Math.min(...values) * 1000).toFixed(0)} µs)`);
  }
  client.release();
  await releasePostgresPool(postgres.url);
  await store.close();
} finally {
  postgres.stop();
}
