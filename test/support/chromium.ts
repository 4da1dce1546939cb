/**
 * Where the browser for the web tests is: $CHROMIUM_PATH, else chromium (or chromium-browser, google-chrome) on
 * PATH. Without one the browser tests skip, saying so in one line; CI installs Debian's chromium and runs them (with
 * CI=true a missing browser is an error).
 */
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { executable, findOnPath } from "./tools.ts";

function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return executable(configured) ? configured : null;
  return findOnPath(["chromium", "chromium-browser", "google-chrome"]);
}

export const chromiumPath: string | null = findChromium();

let reported = false;
/** True when there is no browser; says so once per test file. Use as `describe.skipIf(withoutChromium())`. */
export function withoutChromium(): boolean {
  // CI installs Debian's chromium (.ci/run) and must run the browser tests: there a missing browser is an error.
  if (chromiumPath === null && process.env.CI === "true") {
    const reason = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable browser` : "no chromium on PATH";
    throw new Error(`CI must run the browser tests: ${reason}`);
  }
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

/** Chromium's switches for the tests: headless, no sandbox (CI runs as root), nothing reached beyond 127.0.0.1. */
const launchArguments = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let shared: Promise<Browser> | undefined;

/**
 * One browser for every browser test file that runs in this test process (Vitest runs files one after another in a
 * process, docs/benchmarks.md "issue 10, tenth stop"): starting chromium and its first page costs ~3 s of CPU, which
 * each file paid. A file opens its own context (cookies, storage, viewport: nothing carries over between files) and
 * closes it; the browser ends with the process (playwright closes it at exit; chromium also exits when its pipe to
 * this process closes). Throws where there is no chromium: check `withoutChromium()` first.
 */
export function sharedBrowser(): Promise<Browser> {
  if (chromiumPath === null) throw new Error("no chromium for the browser tests (check withoutChromium() first)");
  const executablePath = chromiumPath;
  shared ??= chromium.launch({ executablePath, args: launchArguments }).then((browser) => {
    browser.on("disconnected", () => (shared = undefined));
    return browser;
  });
  return shared;
}
