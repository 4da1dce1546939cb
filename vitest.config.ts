import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Vitest runs one file fewer than the cores at a time: on a 2-core machine, one file at a time. Most of the suite's
// time is spent waiting (on a browser, tesseract, a loopback server, a child process), so two files side by side
// keep both cores busy and take about half the time.
const workers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // A worker process keeps its modules from one test file to the next instead of a new process per file, which
    // loaded Vitest's runtime and re-imported every module (zod, hono, the store, the loaders) 138 times: the
    // suite's CPU fell from ~435 s to ~295 s (docs/benchmarks.md, "Test suite CPU, one TypeScript program,
    // non-isolated Vitest"). Tests share no mutable module state: stores, servers and folders are per file, caches
    // are keyed by the store object or the content. To rule a leak in or out: `npx vitest run
    // --poolOptions.forks.isolate=true`.
    poolOptions: { forks: { isolate: false } },
    maxWorkers: workers,
    minWorkers: 1,
    // A throwaway PostgreSQL server for the PostgreSQL store tests (CI hands one over in HEARTH_TEST_POSTGRES_URL).
    // The shared corpus library (ingested once per run by the first test file that needs it: test/support/corpus-library.ts).
    globalSetup: ["test/support/postgres-global-setup.ts", "test/support/corpus-library-global-setup.ts"],
    // Cheaper password hashes in the test processes (see the file; the production cost is checked where it matters).
    setupFiles: ["test/support/cheap-password-hashes.ts"],
    reporters: ["default"],
  },
});
