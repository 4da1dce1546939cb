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
    maxWorkers: workers,
    minWorkers: 1,
    // A throwaway PostgreSQL server for the PostgreSQL store tests (CI hands one over in HEARTH_TEST_POSTGRES_URL).
    // The shared corpus library (ingested once per run by the first test file that needs it: test/support/corpus-library.ts).
    globalSetup: ["test/support/postgres-global-setup.ts", "test/support/corpus-library-global-setup.ts"],
    reporters: ["default"],
  },
});
