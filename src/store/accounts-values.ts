/**
 * What every AccountsStore implementation derives the same way, so that SQLite and PostgreSQL agree byte for byte:
 * normalised emails, random tokens and codes, the hashes stored in their place, and roles.
 */
import { createHash, randomBytes } from "node:crypto";
import { HearthError } from "../errors/hearth-error.ts";
import type { WorkspaceRole } from "./accounts-types.ts";
import { workspaceRoles } from "./accounts-types.ts";

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** SHA-256 (hex) of a token or code: what is stored, so a copy of the database signs nobody in. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** A sign-in session's cookie token or its CSRF token: 32 random bytes. */
export const newSessionToken = (): string => randomBytes(32).toString("base64url");

/** An invitation link's token: 24 random bytes. */
export const newInvitationToken = (): string => randomBytes(24).toString("base64url");

/** 20 letters and digits: typed from a terminal, too many to guess within the sign-in throttle. */
export const newResetCode = (): string => randomBytes(15).toString("base64url").replace(/[-_]/g, "x").toUpperCase();

/** The hash a typed reset code is compared by (case and surrounding spaces do not matter). */
export const hashResetCode = (code: string): string => hashToken(code.trim().toUpperCase());

/**
 * What the sign-in throttle's key (an email with an address, typed by anyone) is stored as: its hash, so that any
 * bytes (a NUL, 300 characters) make a valid key, and the failures table holds no email addresses.
 */
export const hashThrottleKey = (key: string): string => hashToken(`sign-in:${key}`);

export const isRole = (value: string): value is WorkspaceRole => (workspaceRoles as readonly string[]).includes(value);

/** A role read back from the database; anything else is a damaged database, not bad input. */
export function toRole(value: string): WorkspaceRole {
  if (!isRole(value)) throw new HearthError("STORE_FAILED", `accounts: unknown role "${value}" in the database`);
  return value;
}

/** Refuses a role that is not one of workspaceRoles (input from a caller). */
export function checkRole(role: WorkspaceRole): void {
  if (!isRole(role)) throw new HearthError("INVALID_INPUT", `Unknown role "${String(role)}"`, { subject: "role" });
}

/** Accepting an invitation never lowers a role the person already has. */
export const roleRank: Record<WorkspaceRole, number> = { viewer: 0, editor: 1, admin: 2 };

export const duplicateEmail = (email: string, cause?: unknown): HearthError =>
  new HearthError("INVALID_INPUT", `A user with the email ${email} already exists`, { subject: "email", ...(cause === undefined ? {} : { cause }) });
