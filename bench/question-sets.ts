/** The development question sets that npm run eval:all and npm run tune read. */
import { join } from "node:path";

const repositoryRoot = new URL("..", import.meta.url).pathname;
export const sharedDir = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
export const corpus = (relative: string): string => join(sharedDir, "corpus", relative);

export function questionSets(): { name: string; file: string }[] {
  return [
    { name: "dev", file: corpus("dev-questions.json") },
    { name: "dev2", file: corpus("dev2/questions.json") },
    { name: "tuning", file: join(repositoryRoot, "bench/tuning-questions.json") },
    { name: "tuning-library", file: join(repositoryRoot, "bench/tuning-questions-library.json") },
    { name: "tuning-providers", file: join(repositoryRoot, "bench/tuning-questions-providers.json") },
  ];
}
