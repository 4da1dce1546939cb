/**
 * zod-settings.ts sets zod's `jitless` without loading zod (through the object zod shares on globalThis). Checked in
 * fresh processes, since this one may have loaded zod already: with the settings imported first, zod loaded after
 * them reads jitless; without them it does not (so the first check cannot pass by zod's default).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const settings = fileURLToPath(new URL("./zod-settings.ts", import.meta.url));

function jitlessInFreshProcess(importSettings: boolean): string {
  const script = `${importSettings ? `await import(${JSON.stringify(settings)});` : ""}
    const z = await import("zod");
    process.stdout.write(String(z.config().jitless));`;
  return execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    encoding: "utf8",
  });
}

describe("zod settings", () => {
  it("hold for zod loaded after them", () => {
    expect(jitlessInFreshProcess(true)).toBe("true");
    expect(jitlessInFreshProcess(false)).toBe("undefined");
  }, 30_000);
});
