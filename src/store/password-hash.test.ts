import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashPassword, productionScryptParameters, verifyPasswordHash } from "./password-hash.ts";
import { withProductionPasswordHashes } from "../../test/support/cheap-password-hashes.ts";

describe("password hashes", () => {
  it("hash at scrypt N = 2^15, r = 8, p = 1 in production, and carry their parameters", async () => {
    expect(productionScryptParameters).toEqual({ N: 32768, r: 8, p: 1 });
    const stored = await withProductionPasswordHashes(() => hashPassword("correct horse battery staple"));
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPasswordHash("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPasswordHash("correct horse battery stapler", stored)).toBe(false);
  });

  it("verify a hash by the parameters it carries, whatever new hashes use (the suite's cheaper ones included)", async () => {
    const cheap = await hashPassword("a long passphrase");
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    const production = await withProductionPasswordHashes(() => hashPassword("a long passphrase"));
    expect(await verifyPasswordHash("a long passphrase", cheap)).toBe(true);
    expect(await verifyPasswordHash("a long passphrase", production)).toBe(true);
    expect(await verifyPasswordHash("a long passphrase", production.replace("$32768$", "$1024$"))).toBe(false);
    expect(await verifyPasswordHash("a long passphrase", "bcrypt$x")).toBe(false);
  });

  it("are never made cheaper outside the tests: only test files call setScryptParametersForTests", () => {
    const root = join(import.meta.dirname, "..", "..");
    const callers: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith(".test.ts") && readFileSync(path, "utf8").includes("setScryptParametersForTests(")) callers.push(path.slice(root.length + 1));
      }
    };
    for (const folder of ["src", "bin", "scripts"]) walk(join(root, folder));
    expect(callers).toEqual(["src/store/password-hash.ts"]);
  });
});
