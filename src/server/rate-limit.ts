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
