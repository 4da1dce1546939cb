/**
 * Where the browser for the web tests is: $CHROMIUM_PATH, else chromium (or chromium-browser, google-chrome) on
 * PATH. Without one the browser tests skip, saying so in one line; CI installs Debian's chromium and runs them.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return executable(configured) ? configured : null;
  for (const folder of (process.env.PATH ?? "").split(delimiter).filter((entry) => entry.length > 0)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      if (executable(join(folder, name))) return join(folder, name);
    }
  }
  return null;
}

export const chromiumPath: string | null = findChromium();

let reported = false;
/** True when there is no browser; says so once per test file. Use as `describe.skipIf(withoutChromium())`. */
export function withoutChromium(): boolean {
  if (chromiumPath === null && !reported) {
    reported = true;
    console.warn(
      process.env.CHROMIUM_PATH
        ? `skipped: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable browser`
        : "skipped: no chromium on PATH (install Debian's chromium, or set CHROMIUM_PATH) for the browser tests",
    );
  }
  return chromiumPath === null;
}
