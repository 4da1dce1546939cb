/**
 * Secrets at rest (a workspace's model API key): AES-256-GCM with the server key, so a copy of a workspace's
 * database alone reveals no key. The server key comes from the configuration (HEARTH_SERVER_KEY) or from
 * <data>/server.key, written once with mode 0600. Losing the key loses the stored secrets, nothing else.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HearthError } from "../errors/hearth-error.ts";

export const serverKeyFileName = "server.key";
const prefix = "enc:v1:";

export interface SecretBox {
  seal(plain: string): string;
  /** The plain text of a sealed value; a value that was never sealed (older data) is returned as it is. */
  open(sealed: string): string;
  isSealed(value: string): boolean;
}

/** Reads a 32-byte key written as base64 or hex. */
function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new HearthError("CONFIG_INVALID", `${where}: the server key must be 32 bytes, written as base64 or 64 hex digits`, { subject: where });
  }
  return key;
}

/** The configured key, or the key file in the data folder (created 0600 on first use). */
export function loadServerKey(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return decodeKey(configured, "server.secretKey (HEARTH_SERVER_KEY)");
  const path = join(dataDir, serverKeyFileName);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // "wx": never overwrite a key another process wrote meanwhile (that would orphan its secrets).
    try {
      writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(path, 0o600);
  return decodeKey(readFileSync(path, "utf8"), path);
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${prefix}${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${body.toString("base64")}`;
    },
    open(sealed) {
      if (!sealed.startsWith(prefix)) return sealed;
      const [iv, tag, body] = sealed.slice(prefix.length).split(":");
      if (!iv || !tag || !body) throw new HearthError("STORE_FAILED", "A stored secret is damaged; set it again");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
        decipher.setAuthTag(Buffer.from(tag, "base64"));
        return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
      } catch (error) {
        throw new HearthError("STORE_FAILED", "A stored secret cannot be read with this server key (was the key changed?); set it again", {
          cause: error,
        });
      }
    },
    isSealed(value) {
      return value.startsWith(prefix);
    },
  };
}
