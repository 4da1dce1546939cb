/**
 * `npm test`: the checks, then the test suite. The four checks (type-check of the server and of the web app, lint,
 * the web build the browser tests serve) do not depend on each other, and each keeps about one core busy, so they
 * run side by side, two at a time on two cores (one fewer than the cores on a bigger machine); each one's output is printed
 * whole when it ends, so nothing interleaves. The suite runs once they all pass. Every phase's time is printed at
 * the end, to see where the time goes.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

const checks = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "typecheck web", command: ["npx", "tsc", "--noEmit", "-p", "web"] },
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "build:web", command: ["npx", "vite", "build", "--config", "web/vite.config.ts"] },
];

const parallel = Math.max(2, availableParallelism() - 1);
const times = [];

function run(name, [command, ...args], { quiet }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      times.push({ name, seconds });
      if (quiet) process.stdout.write(`\n> ${name} (${args.join(" ")}): ${code === 0 ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s\n${output}`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function runChecks() {
  const queue = [...checks];
  const failed = [];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let check = queue.shift(); check; check = queue.shift()) {
        if ((await run(check.name, check.command, { quiet: true })) !== 0) failed.push(check.name);
      }
    }),
  );
  return failed;
}

const started = Date.now();
const failed = await runChecks();
const checksSeconds = (Date.now() - started) / 1000;
let code = failed.length > 0 ? 1 : 0;
if (code === 0) code = await run("vitest", ["npx", "vitest", "run", ...process.argv.slice(2)], { quiet: false });
else process.stdout.write(`\nnpm test: ${failed.join(", ")} failed; the test suite was not run.\n`);
process.stdout.write(
  `\nnpm test: ${times.map((time) => `${time.name} ${time.seconds.toFixed(1)} s`).join(", ")}; checks ${checksSeconds.toFixed(1)} s side by side; ${((Date.now() - started) / 1000).toFixed(1)} s in all\n`,
);
process.exit(code);
