/**
 * `npm test`: the checks and the test suite. The web build runs first (the browser tests serve what it writes, and a
 * failed build is a failed check); then Vitest starts at once and the other checks (the type-check and the lint over
 * one TypeScript program, the web app's type-check) run beside it at a lower CPU priority. Most of the suite's time
 * is spent waiting (on a browser, tesseract, PostgreSQL, a loopback server), so the checks fill the cores the tests
 * leave idle instead of holding the tests back for ~50 s; at the lower priority they take almost nothing from a test
 * that wants a core. Each check's output is printed whole after the suite's, so nothing interleaves, and every
 * phase's time is printed at the end. Any failure fails `npm test`; arguments go to Vitest (`npm test -- src/loaders`).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, constants, setPriority } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The script a package's `bin` names, run with this node: no npx start-up (a few hundred ms each) in between. */
function bin(packageName, command) {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const relative = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[command];
  return [process.execPath, join(dirname(manifestPath), relative)];
}

// The suite's processes run without NODE_EXTRA_CA_CERTS: with it, every Node process reads and parses that certificate
// file as it starts (~50 ms each, measured where a shell sets it to the system's whole bundle), and the suite starts
// hundreds (Vitest's workers, the CLI and server tests' children, the checks). The tests reach only 127.0.0.1, and a
// test that needs a certificate authority passes its own.
const childEnvironment = { ...process.env };
delete childEnvironment.NODE_EXTRA_CA_CERTS;

const webBuild = { name: "build:web", command: [...bin("vite", "vite"), "build", "--config", "web/vite.config.ts"] };
// The type-check and the lint share one TypeScript program (the lint's type-aware rules need one of the whole
// project; built twice, it cost ~19 s more CPU): scripts/typecheck-and-lint.mjs is `tsc --noEmit` then `eslint .`.
const checks = [
  { name: "typecheck and lint", command: [process.execPath, fileURLToPath(new URL("./typecheck-and-lint.mjs", import.meta.url))] },
  { name: "typecheck web", command: [...bin("typescript", "tsc"), "--noEmit", "-p", "web"] },
];

const parallel = Math.max(2, availableParallelism() - 1);
const times = [];
const reports = [];
/** Checks still running at the lower priority, to be given normal priority once the suite is done. */
const background = new Set();
let suiteDone = false;

/** Runs one command; quiet ones keep their output for the end. `lowPriority` lowers its CPU priority. */
function run(name, [command, ...args], { quiet, lowPriority = false }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: childEnvironment, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (lowPriority && child.pid !== undefined) {
      try {
        setPriority(child.pid, constants.priority.PRIORITY_BELOW_NORMAL);
        background.add(child.pid);
      } catch {
        // Not allowed here: the check runs at normal priority, which is only slower for the tests.
      }
    }
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => {
      background.delete(child.pid);
      const seconds = (Date.now() - started) / 1000;
      times.push({ name, seconds });
      const status = code ?? (signal ? 1 : 0);
      if (quiet) reports.push(`\n> ${name} (${args.slice(1).join(" ") || basename(args[0] ?? "")}): ${status === 0 ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s\n${output}`);
      resolve(status);
    });
  });
}

async function runChecks() {
  const queue = [...checks];
  const failed = [];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let check = queue.shift(); check; check = queue.shift()) {
        if ((await run(check.name, check.command, { quiet: true, lowPriority: !suiteDone })) !== 0) failed.push(check.name);
      }
    }),
  );
  return failed;
}

const started = Date.now();
const failed = [];
if ((await run(webBuild.name, webBuild.command, { quiet: true })) !== 0) failed.push(webBuild.name);
process.stdout.write(reports.splice(0).join(""));
let checksSeconds = 0;
const checksDone = runChecks().then((names) => {
  checksSeconds = (Date.now() - started) / 1000;
  failed.push(...names);
});
const vitest = await run("vitest", [...bin("vitest", "vitest"), "run", ...process.argv.slice(2)], { quiet: false });
if (vitest !== 0) failed.push("vitest");
suiteDone = true;
// Nothing left to make room for: a check still running gets normal priority back, so that on a machine shared with
// other work it is not left with the scraps. (Raising priority may need privileges; without them it stays lower.)
for (const pid of background) {
  try {
    setPriority(pid, constants.priority.PRIORITY_NORMAL);
  } catch {
    // Not allowed: it finishes at the lower priority.
  }
}
await checksDone;
process.stdout.write(reports.join(""));
if (failed.length > 0) process.stdout.write(`\nnpm test: ${failed.join(", ")} FAILED\n`);
process.stdout.write(
  `\nnpm test: ${times.map((time) => `${time.name} ${time.seconds.toFixed(1)} s`).join(", ")}; checks done ${checksSeconds.toFixed(1)} s after the start (beside the suite); ${((Date.now() - started) / 1000).toFixed(1)} s in all\n`,
);
process.exit(failed.length > 0 ? 1 : 0);
