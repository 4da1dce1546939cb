/**
 * Login rate limiting: at most `maxFailures` failed sign-ins per email and client address within `windowMs`.
 * Kept in memory: a restart forgets it, which costs an attacker a restart per few guesses at most.
 */
export interface LoginRateLimiter {
  /** Seconds to wait when the key is locked out, or 0. */
  retryAfterSeconds(key: string, now?: number): number;
  recordFailure(key: string, now?: number): void;
  reset(key: string): void;
}

export function createLoginRateLimiter({ maxFailures = 5, windowMs = 15 * 60_000 } = {}): LoginRateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((time) => now - time < windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfterSeconds(key, now = Date.now()) {
      const kept = recent(key, now);
      if (kept.length < maxFailures) return 0;
      // Locked until the oldest failure that still counts leaves the window.
      const oldest = kept[kept.length - maxFailures] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    recordFailure(key, now = Date.now()) {
      const kept = recent(key, now);
      kept.push(now);
      failures.set(key, kept);
      // Bound memory against a flood of distinct keys.
      if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; reason: "account" | "address" | "busy" };

/**
 * The sign-in throttle: per email and address (5 failures in 15 minutes), per address whatever the email (20 in
 * 15 minutes: one machine trying many accounts), and for the whole server at most `maxInFlight` sign-ins being
 * checked at once (each costs a slow password hash; beyond that the caller is asked to retry in a second rather
 * than queued, so a flood cannot stall the server for everyone).
 */
export interface SignInThrottle {
  check(email: string, address: string, now?: number): ThrottleVerdict;
  /** Reserves a slot for checking a password; false when the server is busy. Call `release` after. */
  acquire(): boolean;
  release(): void;
  recordFailure(email: string, address: string, now?: number): void;
  recordSuccess(email: string, address: string): void;
}

export function createSignInThrottle({
  perAccount = createLoginRateLimiter({ maxFailures: 5 }),
  perAddress = createLoginRateLimiter({ maxFailures: 20 }),
  maxInFlight = 8,
}: { perAccount?: LoginRateLimiter; perAddress?: LoginRateLimiter; maxInFlight?: number } = {}): SignInThrottle {
  let inFlight = 0;
  const accountKey = (email: string, address: string): string => `${email}\u0000${address}`;
  return {
    check(email, address, now = Date.now()) {
      const account = perAccount.retryAfterSeconds(accountKey(email, address), now);
      if (account > 0) return { ok: false, retryAfterSeconds: account, reason: "account" };
      const fromAddress = perAddress.retryAfterSeconds(address, now);
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
    recordFailure(email, address, now = Date.now()) {
      perAccount.recordFailure(accountKey(email, address), now);
      perAddress.recordFailure(address, now);
    },
    recordSuccess(email, address) {
      perAccount.reset(accountKey(email, address));
    },
  };
}
