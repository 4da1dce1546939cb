import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const hearthBin = new URL("../../bin/hearth", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "hearth-serve-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("hearth serve", () => {
  it("prints its URL, answers health, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [hearthBin, "--data", dataDir, "serve", "--host", "127.0.0.1", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (part: Buffer) => (output += part.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (part: Buffer) => {
        output += part.toString();
        const match = /running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${url}/api/workspaces`)).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("Stopping");
  }, 30_000);

  it("refuses a port that is not a number", async () => {
    const child = spawn(process.execPath, [hearthBin, "--data", dataDir, "serve", "--port", "eighty"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (part: Buffer) => (stderr += part.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("--port must be a whole number");
  }, 30_000);
});
