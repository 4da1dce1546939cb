import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // A throwaway PostgreSQL server for the PostgreSQL store tests (CI hands one over in HEARTH_TEST_POSTGRES_URL).
    globalSetup: ["test/support/postgres-global-setup.ts"],
    reporters: ["default"],
  },
});
