import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountsStore } from "../store/accounts-types.ts";
import { openSqliteAccounts } from "../store/sqlite-accounts.ts";
import { createLoginRateLimiter, createSignInThrottle } from "./rate-limit.ts";

describe("sign-in throttle (failures in the accounts store)", () => {
  let accounts: AccountsStore;
  beforeEach(() => {
    accounts = openSqliteAccounts({ path: ":memory:" });
  });
  afterEach(async () => {
    await accounts.close();
  });

  it("locks an email and address after five failures for the window, and a success forgets that account's failures", async () => {
    const throttle = createSignInThrottle(accounts);
    for (let failure = 0; failure < 4; failure++) await throttle.recordFailure("ann@example.org", "10.0.0.1");
    expect(await throttle.check("ann@example.org", "10.0.0.1")).toEqual({ ok: true });
    await throttle.recordFailure("ann@example.org", "10.0.0.1");
    const locked = await throttle.check("ann@example.org", "10.0.0.1");
    expect(locked).toMatchObject({ ok: false, reason: "account" });
    if (!locked.ok) expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // The same email from elsewhere, and another email from here, are not locked.
    expect(await throttle.check("ann@example.org", "10.0.0.2")).toEqual({ ok: true });
    expect(await throttle.check("bob@example.org", "10.0.0.1")).toEqual({ ok: true });
    // A second throttle over the same store (another server process) sees the same lockout.
    expect(await createSignInThrottle(accounts).check("ann@example.org", "10.0.0.1")).toMatchObject({ ok: false, reason: "account" });
    await throttle.recordSuccess("ann@example.org", "10.0.0.1");
    expect(await throttle.check("ann@example.org", "10.0.0.1")).toEqual({ ok: true });
  });

  it("locks an address after its limit whatever the email, and limiters with other names count apart", async () => {
    const perAddress = createLoginRateLimiter(accounts, { name: "address", maxFailures: 3, windowMs: 60_000 });
    const throttle = createSignInThrottle(accounts, { perAddress });
    for (const email of ["a@example.org", "b@example.org", "c@example.org"]) await throttle.recordFailure(email, "10.0.0.9");
    expect(await throttle.check("d@example.org", "10.0.0.9")).toMatchObject({ ok: false, reason: "address" });
    const other = createLoginRateLimiter(accounts, { name: "elsewhere", maxFailures: 1 });
    expect(await other.retryAfterSeconds("10.0.0.9")).toBe(0);
  });

  it("refuses more than maxInFlight checks at once in this process", () => {
    const throttle = createSignInThrottle(accounts, { maxInFlight: 2 });
    expect([throttle.acquire(), throttle.acquire(), throttle.acquire()]).toEqual([true, true, false]);
    throttle.release();
    expect(throttle.acquire()).toBe(true);
  });
});
