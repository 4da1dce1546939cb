/**
 * Login rate limiting: at most `maxFailures` failed sign-ins per key within `windowMs`. The failures are kept in
 * the accounts store, not in this process's memory, so that every `hearth serve` process sharing the accounts (behind
 * a load balancer, on PostgreSQL) sees the same lockouts, and a restart forgets none of them.
 */
import type { AccountsStore } from "../store/accounts-types.ts";

export interface LoginRateLimiter {
  /** How long a failure counts. */
  readonly windowMs: number;
  /** Seconds to wait when the key is locked out, or 0. */
  retryAfterSeconds(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export function createLoginRateLimiter(
  accounts: AccountsStore,
  { name, maxFailures = 5, windowMs = 15 * 60_000 }: { name: string; maxFailures?: number; windowMs?: number },
): LoginRateLimiter {
  // Each limiter's keys are its own ("account:…", "address:…"), so two limiters never count each other's failures.
  const stored = (key: string): string => `${name}:${key}`;
  return {
    windowMs,
    async retryAfterSeconds(key) {
      const ages = await accounts.recentSignInFailures(stored(key), windowMs);
      if (ages.length < maxFailures) return 0;
      // Locked until the oldest failure that still counts leaves the window.
      const oldest = ages[ages.length - maxFailures] ?? 0;
      return Math.max(1, Math.ceil((windowMs - oldest) / 1000));
    },
    async recordFailure(key) {
      await accounts.recordSignInFailure(stored(key));
    },
    async reset(key) {
      await accounts.clearSignInFailures(stored(key));
    },
  };
}

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; reason: "account" | "address" | "busy" };

/**
 * The sign-in throttle: per email and address (5 failures in 15 minutes), per address whatever the email (20 in
 * 15 minutes: one machine trying many accounts), and for this process at most `maxInFlight` sign-ins being
 * checked at once (each costs a slow password hash; beyond that the caller is asked to retry in a second rather
 * than queued, so a flood cannot stall the server for everyone).
 */
export interface SignInThrottle {
  check(email: string, address: string): Promise<ThrottleVerdict>;
  /** Reserves a slot for checking a password; false when the server is busy. Call `release` after. */
  acquire(): boolean;
  release(): void;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string, address: string): Promise<void>;
}

export function createSignInThrottle(
  accounts: AccountsStore,
  {
    perAccount = createLoginRateLimiter(accounts, { name: "account", maxFailures: 5 }),
    perAddress = createLoginRateLimiter(accounts, { name: "address", maxFailures: 20 }),
    maxInFlight = 8,
  }: { perAccount?: LoginRateLimiter; perAddress?: LoginRateLimiter; maxInFlight?: number } = {},
): SignInThrottle {
  // The in-flight count stays in this process's memory on purpose: it protects this process's CPU and thread pool
  // from password hashes (each server process has its own), not the accounts from guessing (the limiters do that).
  let inFlight = 0;
  const accountKey = (email: string, address: string): string => `${email}\u0000${address}`;
  return {
    async check(email, address) {
      const account = await perAccount.retryAfterSeconds(accountKey(email, address));
      if (account > 0) return { ok: false, retryAfterSeconds: account, reason: "account" };
      const fromAddress = await perAddress.retryAfterSeconds(address);
      if (fromAddress > 0) return { ok: false, retryAfterSeconds: fromAddress, reason: "address" };
      return { ok: true };
    },
    acquire() {
      if (inFlight >= maxInFlight) return false;
      inFlight++;
      return true;
    },
    release() {
      inFlight = Math.max(0, inFlight - 1);
    },
    async recordFailure(email, address) {
      await perAccount.recordFailure(accountKey(email, address));
      await perAddress.recordFailure(address);
      // Failures older than every window count for nothing: dropped as new ones come, so the table stays small.
      await accounts.pruneSignInFailures(Math.max(perAccount.windowMs, perAddress.windowMs));
    },
    async recordSuccess(email, address) {
      await perAccount.reset(accountKey(email, address));
    },
  };
}
