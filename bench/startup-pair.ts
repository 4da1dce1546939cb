/**
 * `npx tsx bench/startup-pair.ts <checkout A> <checkout B> [rounds]`: `hearth --version`, `search` and `ask` of two
 * built checkouts (a worktree of an earlier commit and this one, say, each with `npm run build` done) and `node -e 0`,
 * interleaved round by round so that both meet the same load: on a shared or throttled machine, figures taken one
 * checkout after the other differ by more than a change does (docs/benchmarks.md, "Issue 10, ninth stop" and
 * "tenth stop"). Prints each command's wall median and minimum for A, B and Node alone. The library is the corpus's
 * library/ ingested once by B into a temporary folder (both read the same one); run it in the environment to be
 * measured (e.g. `env -u NODE_EXTRA_CA_CERTS` for a laptop's).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { corpus } from "../test/support/corpus.ts";
import { extractiveEnvironment as environment, wallMilliseconds } from "./process-timing.ts";
import { median } from "./statistics.ts";

const [first, second, roundsText = "10"] = process.argv.slice(2);
if (first === undefined || second === undefined) {
  console.error("usage: npx tsx bench/startup-pair.ts <checkout A> <checkout B> [rounds]");
  process.exit(2);
}
const checkouts = { A: resolve(first), B: resolve(second) };
const rounds = Number(roundsText);
const data = mkdtempSync(join(tmpdir(), "hearth-startup-pair-"));

const ingest = spawnSync(process.execPath, [join(checkouts.B, "bin", "hearth"), "--data", data, "ingest", corpus("library")], { env: environment, encoding: "utf8" });
if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);

const commands: Record<string, string[]> = {
  version: ["--version"],
  search: ["--data", data, "search", "weekly cost of residential care"],
  ask: ["--data", data, "ask", "What is the weekly cost of residential care?"],
};

/** Milliseconds of wall time of one Node process with `args`, run to its end. */
const time = (args: string[]): number => wallMilliseconds(args.join(" "), process.execPath, args, environment);

const times = new Map<string, number[]>();
const record = (key: string, milliseconds: number): void => void times.set(key, [...(times.get(key) ?? []), milliseconds]);
for (let round = 0; round < rounds; round++) {
  for (const [side, checkout] of Object.entries(checkouts)) {
    for (const [name, args] of Object.entries(commands)) record(`${side} ${name}`, time([join(checkout, "bin", "hearth"), ...args]));
  }
  record("node -e 0", time(["-e", "0"]));
}
rmSync(data, { recursive: true, force: true });

console.log(`A = ${checkouts.A}\nB = ${checkouts.B}\n${rounds} rounds, wall ms (median / min)`);
for (const [key, values] of times) console.log(`${key.padEnd(10)} ${median(values).toFixed(1).padStart(7)} / ${Math.min(...values).toFixed(1)}`);
