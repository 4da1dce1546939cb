/**
 * Password hashes: scrypt (node:crypto) with a random 16-byte salt per password, stored with its parameters so
 * that they can be raised later without breaking old hashes. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { ScryptOptions } from "node:crypto";

const keyLength = 64;
/** N = 2^15 costs ~32 MiB and ~60 ms a hash: slow for guessing, fine for a sign-in. */
export const productionScryptParameters: Readonly<{ N: number; r: number; p: number }> = Object.freeze({ N: 32768, r: 8, p: 1 });
let defaultParameters = productionScryptParameters;

/**
 * For the test suite only (test/support/cheap-password-hashes.ts, a Vitest setup file): the parameters new hashes
 * use in this process. The suite hashes ~200 passwords; at the production cost each took ~0.2 s of CPU on a 2-core
 * VM, most of it first touches of scrypt's 32 MiB (~25 s of the suite's CPU in all, docs/benchmarks.md). Every
 * hash carries its parameters, so verification never depends on this; nothing outside the tests calls it (a test
 * checks), and the store tests that check the stored parameters set the production ones back.
 */
export function setScryptParametersForTests(parameters: { N: number; r: number; p: number }): void {
  defaultParameters = Object.freeze({ ...parameters });
  decoy = undefined;
}

/**
 * At most this many hashes at once. scrypt runs on libuv's thread pool (4 threads), which file reads, DNS and
 * compression share: 40 sign-ins at once would hold every thread for seconds and stall every page. The rest wait
 * their turn in a queue, bounded by the sign-in throttle in front of it (src/server/auth.ts: a sign-in beyond its count of
 * checks in flight is refused with 429).
 */
const maxConcurrentHashes = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finished hash hands its slot straight to the next in the queue, so the count never overshoots.
  if (running >= maxConcurrentHashes) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return withHashSlot(() => deriveNow(password, salt, options));
}

function deriveNow(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = defaultParameters;
  const key = await derive(password, salt, { N, r, p });
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Whether `password` matches `stored`; a malformed stored value never matches. */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, compared against when the email is unknown so both paths take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
