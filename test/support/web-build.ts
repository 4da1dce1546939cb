/**
 * The built web app for browser tests: web/dist when it is newer than every source file, otherwise a build of its
 * own in a temporary folder, so that a test never rewrites web/dist while another browser test file is serving it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import { repositoryRoot } from "./corpus.ts";

const webSource = join(repositoryRoot, "web");

function newestModification(folder: string): number {
  return Math.max(
    ...readdirSync(folder, { withFileTypes: true }).map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs;
    }),
  );
}

export interface WebBuild {
  root: string;
  /** Removes the temporary build, if one was made. */
  remove(): void;
}

export async function builtWebRoot(): Promise<WebBuild> {
  const dist = join(webSource, "dist");
  const sources = Math.max(newestModification(join(webSource, "src")), statSync(join(webSource, "index.html")).mtimeMs);
  const index = join(dist, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return { root: dist, remove: () => {} };
  const temporary = mkdtempSync(join(tmpdir(), "hearth-web-"));
  await build({ configFile: join(webSource, "vite.config.ts"), logLevel: "error", build: { outDir: temporary, emptyOutDir: true } });
  return { root: temporary, remove: () => rmSync(temporary, { recursive: true, force: true }) };
}
