/**
 * Command-line tools some tests read Hearth's output with (pdftotext from poppler-utils, pandoc), as a user's own
 * tools would. Without one those tests skip, saying so once per tool and file; in CI (CI=true) a missing tool is an
 * error, since CI installs them (.ci/run) and must run every test.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The Debian package that holds each tool, for the message. */
const packages = { pdftotext: "poppler-utils", pandoc: "pandoc" } as const;
export type Tool = keyof typeof packages;

/** Whether `path` is a file this process may run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` in the first folder of PATH that holds one of them (PATH's order first), or null. */
export function findOnPath(names: readonly string[]): string | null {
  for (const folder of (process.env.PATH ?? "").split(delimiter).filter((entry) => entry.length > 0)) {
    for (const name of names) {
      if (executable(join(folder, name))) return join(folder, name);
    }
  }
  return null;
}

const reported = new Set<Tool>();

/** True when any of `tools` is missing (says which once); throws in CI. Use as `describe.skipIf(without("pandoc"))`. */
export function without(...tools: Tool[]): boolean {
  const missing = tools.filter((tool) => findOnPath([tool]) === null);
  if (missing.length === 0) return false;
  const reason = `skipped: ${missing.map((tool) => `${tool} is not on PATH (apt-get install ${packages[tool]})`).join("; ")}`;
  if (process.env.CI === "true") throw new Error(`CI must run the tests that read output with ${missing.join(" and ")}: ${reason}`);
  const unreported = missing.filter((tool) => !reported.has(tool));
  if (unreported.length > 0) {
    for (const tool of unreported) reported.add(tool);
    console.warn(reason);
  }
  return true;
}
