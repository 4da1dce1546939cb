/**
 * Whether the compiled build (dist/, written by `npm run build` or `npm ci`) is there and newer than every source file
 * under src/ (tests aside): the tests of what only the build does (the PDF page worker, the bundle and its code
 * cache) run then and skip, saying so, otherwise. `alsoNeeded`: further build outputs, relative to dist/.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "./corpus.ts";

export function distIsCurrent(alsoNeeded: readonly string[] = []): boolean {
  const stamp = join(repositoryRoot, "dist", "build-stamp.json");
  if (!existsSync(stamp) || alsoNeeded.some((relative) => !existsSync(join(repositoryRoot, "dist", relative)))) return false;
  const built = statSync(stamp).mtimeMs;
  return !readdirSync(join(repositoryRoot, "src"), { recursive: true, withFileTypes: true }).some(
    (entry) => entry.isFile() && !entry.name.endsWith(".test.ts") && statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
  );
}
