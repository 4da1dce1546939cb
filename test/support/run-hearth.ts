/**
 * Runs the `hearth` command line for tests. `runHearth` runs it in this process (the same `runCli` that
 * `bin/hearth` runs, with captured output and its own environment): a few milliseconds instead of a process start.
 * `runHearthProcess` starts the real `bin/hearth` as a user would, for what only a process shows (exit codes as
 * the shell sees them, signals, kill -9, pipes, start-up).
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { runCli } from "../../src/cli/main.ts";
import { corpus, repositoryRoot, sharedDir } from "./corpus.ts";

export { corpus, repositoryRoot, sharedDir };
export const hearthBin = join(repositoryRoot, "bin", "hearth");

export interface HearthRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface HearthRunOptions {
  data: string;
  /** Longest a process run may take before it is killed; an in-process run ignores it (vitest's timeout applies). */
  timeoutMs?: number;
  /** Added to this process's environment (HEARTH_* settings), as for a child process. */
  env?: NodeJS.ProcessEnv;
}

export function temporaryDirectory(prefix = "hearth-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A writable stream that keeps what is written, as text. */
class CapturedOutput extends Writable {
  private readonly parts: string[] = [];
  readonly isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.parts.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    done();
  }

  get text(): string {
    return this.parts.join("");
  }
}

/**
 * `hearth --data <data> ...args` in this process. A crash (an error that is not a HearthError) is reported as a
 * process would: exit code 1 with the stack on stderr, so a test sees it fail instead of the runner catching it.
 */
export async function runHearth(args: string[], options: HearthRunOptions): Promise<HearthRun> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  let code: number;
  try {
    code = await runCli(["node", "hearth", "--data", options.data, ...args], {
      environment: { ...process.env, ...options.env },
      stdout,
      stderr,
    });
  } catch (error) {
    stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = 1;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** `hearth --data <data> ...args` as a child process of the real `bin/hearth`. */
export function runHearthProcess(args: string[], options: HearthRunOptions): Promise<HearthRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hearthBin, "--data", options.data, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface SearchJson {
  results: { file: string; page: number | null; section: string | null; text: string; score: number }[];
}
