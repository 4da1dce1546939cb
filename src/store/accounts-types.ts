/**
 * The accounts contract for `hearth serve`: users, sign-in sessions, workspaces, memberships with roles and the
 * audit log. SQLite (`accounts.db`) is the embedded implementation; every implementation passes
 * accounts-contract.ts. Passwords and session tokens are only ever stored as hashes.
 */
import type { Result } from "../errors/hearth-error.ts";

export const workspaceRoles = ["admin", "editor", "viewer"] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

export interface UserRecord {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  createdAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface WorkspaceMembership {
  workspace: WorkspaceRecord;
  role: WorkspaceRole;
}

export interface MemberRecord {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
}

export interface AuthSession {
  user: UserRecord;
  /** Sent back by the client in `x-csrf-token` on every state-changing request (double submit, bound here). */
  csrfToken: string;
  expiresAt: string;
}

export interface NewAuditEvent {
  userId: string | null;
  /** Null for events that belong to no workspace (sign-ins). */
  workspaceId: string | null;
  action: string;
  detail: string;
}

export interface AuditEvent {
  id: number;
  time: string;
  userId: string | null;
  /** The user's email at the time of reading, or "(unknown)". */
  user: string;
  workspaceId: string | null;
  action: string;
  detail: string;
}

export interface AccountsStore {
  countUsers(): number;
  /** Hashes the password (scrypt, per-user salt); fails when the email is taken. */
  createUser(user: NewUser): Promise<Result<UserRecord>>;
  getUser(id: string): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  /** The user when the password matches (constant-time comparison); undefined otherwise. */
  verifyPassword(email: string, password: string): Promise<UserRecord | undefined>;

  /** A new sign-in session: returns the random token to put in the cookie (only its hash is stored). */
  createAuthSession(userId: string, lifetimeMs: number): { token: string; session: AuthSession };
  /** The session for a cookie token, or undefined when unknown or expired. */
  findAuthSession(token: string): AuthSession | undefined;
  deleteAuthSession(token: string): void;

  /** Creates a workspace with `ownerUserId` as its admin. */
  createWorkspace(name: string, ownerUserId: string): WorkspaceRecord;
  getWorkspace(id: string): WorkspaceRecord | undefined;
  listWorkspaces(): WorkspaceRecord[];
  listWorkspacesForUser(userId: string): WorkspaceMembership[];
  /** The user's role in the workspace, or undefined when not a member. */
  getRole(workspaceId: string, userId: string): WorkspaceRole | undefined;
  listMembers(workspaceId: string): MemberRecord[];
  /** Adds a member or changes their role. */
  setMember(workspaceId: string, userId: string, role: WorkspaceRole): void;
  removeMember(workspaceId: string, userId: string): boolean;

  recordAudit(event: NewAuditEvent): void;
  /**
   * Newest first: the workspace's events plus sign-in events (workspace null) of the workspace's current members.
   */
  listAudit(workspaceId: string, limit: number): AuditEvent[];

  close(): void;
}
