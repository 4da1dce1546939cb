/**
 * package-lock.json in the form both npm 10 (which ships with Node 20) and npm 11 accept for `npm ci` and leave as it
 * is after `npm install` (issue 10): every optional package any locked package names is locked too (their absence,
 * 24 of rollup's, made `npm ci` fail with EUSAGE on a fresh clone), and no `libc` field (npm 11 writes them, npm 10's
 * `npm install` removes them again, and npm 11 leaves a lock without them unchanged: checked by hand with both,
 * docs/benchmarks.md "issue 10, tenth stop").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./support/run-hearth.ts";

interface LockedPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  libc?: string[];
}

const lock = JSON.parse(readFileSync(join(repositoryRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };

/** Where npm looks for `name` required by the package at `path`: its own node_modules, then each folder above. */
function resolves(path: string, name: string): boolean {
  for (let folder = path; ; folder = folder.slice(0, Math.max(0, folder.lastIndexOf("/node_modules/")))) {
    if (lock.packages[`${folder === "" ? "" : `${folder}/`}node_modules/${name}`] !== undefined) return true;
    if (folder === "") return false;
  }
}

describe("package-lock.json", () => {
  it("locks every optional package that a locked package names", () => {
    const missing = Object.entries(lock.packages).flatMap(([path, locked]) =>
      Object.keys(locked.optionalDependencies ?? {})
        .filter((name) => !resolves(path, name))
        .map((name) => `${path || "(root)"} → ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it("has no libc fields, the form npm 10 and npm 11 both leave as it is", () => {
    expect(Object.entries(lock.packages).filter(([, locked]) => locked.libc !== undefined).map(([path]) => path)).toEqual([]);
  });
});
