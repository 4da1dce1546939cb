/**
 * Where the shared sample corpus lives, and whether this checkout has it. A clone of the repository alone has no
 * `../shared`: tests over the real corpus skip then, saying why in one line, while CI (which has it) runs them.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export const repositoryRoot = new URL("../..", import.meta.url).pathname;
export const sharedDir = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
export const corpus = (relative: string): string => join(sharedDir, "corpus", relative);
export const corpusAvailable = existsSync(join(sharedDir, "corpus"));
export const corpusSkipReason = `skipped: the sample corpus is not at ${join(sharedDir, "corpus")} (set HEARTH_SHARED_DIR to its parent)`;

let reported = false;
/** True when the corpus is missing; says so once per test file. Use as `describe.skipIf(withoutCorpus())`. */
export function withoutCorpus(): boolean {
  if (!corpusAvailable && !reported) {
    reported = true;
    console.warn(corpusSkipReason);
  }
  return !corpusAvailable;
}
