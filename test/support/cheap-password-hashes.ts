/**
 * A Vitest setup file: new password hashes in the test processes use scrypt at N = 2^10 instead of the production
 * 2^15 (src/store/password-hash.ts, setScryptParametersForTests). The suite hashes ~200 passwords; at the production
 * cost scrypt's 32 MiB, touched fresh each time, made a quarter of the whole suite's page faults on a 2-core VM.
 * Hashing is still real scrypt with the same code path; the tests that check the production parameters
 * (src/store/sqlite-accounts.test.ts, postgres-accounts.test.ts) set them back. Processes the tests start (the CLI,
 * `hearth serve`) hash at the production cost.
 */
import { productionScryptParameters, setScryptParametersForTests } from "../../src/store/password-hash.ts";

/** The parameters this file sets, for tests that set others for a while. */
export const cheapScryptParameters = { N: 1024, r: 8, p: 1 };

setScryptParametersForTests(cheapScryptParameters);

/** Runs `work` with new hashes at the production cost, then goes back to the cheap one. */
export async function withProductionPasswordHashes<T>(work: () => Promise<T>): Promise<T> {
  setScryptParametersForTests(productionScryptParameters);
  try {
    return await work();
  } finally {
    setScryptParametersForTests(cheapScryptParameters);
  }
}
