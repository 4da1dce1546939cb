/** Runs the real `bin/hearth` as a child process, as a user would. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repositoryRoot = new URL("../..", import.meta.url).pathname;
export const hearthBin = join(repositoryRoot, "bin", "hearth");
export const sharedDir = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
export const corpus = (relative: string): string => join(sharedDir, "corpus", relative);

export interface HearthRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function temporaryDirectory(prefix = "hearth-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function runHearth(args: string[], options: { data: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<HearthRun> {
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
