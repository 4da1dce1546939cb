/**
 * The accounts contract for `hearth serve`: users, sign-in sessions, workspaces, memberships with roles, the
 * sign-in throttle's failures and the audit log. Every method is async. SQLite (`accounts.db`) is the embedded
 * implementation, PostgreSQL the shared one (several server processes on one database; open either with
 * open-accounts.ts); both pass accounts-contract.ts. Passwords, session tokens, invitation tokens and reset codes
 * are only ever stored as hashes.
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
  /** An admin of the whole server (distinct from workspace roles): manages users, may create workspaces. */
  serverAdmin: boolean;
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

export interface InvitationRecord {
  id: string;
  workspaceId: string;
  workspaceName: string;
  /** Lower-cased. */
  email: string;
  role: WorkspaceRole;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
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
  countUsers(): Promise<number>;
  /** Hashes the password (scrypt, per-user salt); fails when the email is taken. */
  createUser(user: NewUser): Promise<Result<UserRecord>>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  /** The user when the password matches (constant-time comparison); undefined otherwise. */
  verifyPassword(email: string, password: string): Promise<UserRecord | undefined>;

  listUsers(): Promise<UserRecord[]>;
  setServerAdmin(userId: string, serverAdmin: boolean): Promise<void>;
  /** Replaces the password hash (scrypt); false when there is no such user. */
  setPassword(userId: string, password: string): Promise<boolean>;
  /** Deletes the user with their sessions, memberships, invitations sent and reset codes. */
  deleteUser(userId: string): Promise<boolean>;

  /** A one-time reset code for the user (only its hash is stored; a new one replaces the old). */
  createResetCode(userId: string, lifetimeMs: number): Promise<string>;
  /** The user when `code` is their live reset code; the code is used up either way on a match. */
  consumeResetCode(email: string, code: string): Promise<UserRecord | undefined>;

  /** An invitation to a workspace for an email; returns the random token the invitee accepts with. */
  createInvitation(invitation: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string; lifetimeMs: number }): Promise<{
    token: string;
    invitation: InvitationRecord;
  }>;
  /** Live invitations of a workspace. */
  listInvitations(workspaceId: string): Promise<InvitationRecord[]>;
  /** Live invitations sent to an email. */
  listInvitationsForEmail(email: string): Promise<InvitationRecord[]>;
  findInvitationByToken(token: string): Promise<InvitationRecord | undefined>;
  getInvitation(id: string): Promise<InvitationRecord | undefined>;
  /** Makes the user a member with the invitation's role (never lowering a role) and deletes the invitation. */
  acceptInvitation(id: string, userId: string): Promise<boolean>;
  deleteInvitation(id: string): Promise<boolean>;

  /** A new sign-in session: returns the random token to put in the cookie (only its hash is stored). */
  createAuthSession(userId: string, lifetimeMs: number): Promise<{ token: string; session: AuthSession }>;
  /** The session for a cookie token, or undefined when unknown or expired. */
  findAuthSession(token: string): Promise<AuthSession | undefined>;
  deleteAuthSession(token: string): Promise<void>;
  /** Ends every session of the user (but the one with `exceptToken`); returns how many ended. */
  deleteAuthSessionsForUser(userId: string, exceptToken?: string): Promise<number>;

  /**
   * Failed sign-ins, kept here (not in a server's memory) so that every server process sharing the accounts sees
   * the same lockouts. `key` is the throttle's own (an email with an address, or an address alone).
   */
  recordSignInFailure(key: string): Promise<void>;
  /** How long ago (milliseconds, by the store's clock) each failure of `key` within the last `windowMs` was, oldest first. */
  recentSignInFailures(key: string, windowMs: number): Promise<number[]>;
  /** Forgets the failures of `key` (after a successful sign-in). */
  clearSignInFailures(key: string): Promise<void>;
  /** Forgets every failure older than `olderThanMs`, so the table stays small; returns how many went. */
  pruneSignInFailures(olderThanMs: number): Promise<number>;

  /** Creates a workspace with `ownerUserId` as its admin. */
  createWorkspace(name: string, ownerUserId: string): Promise<WorkspaceRecord>;
  getWorkspace(id: string): Promise<WorkspaceRecord | undefined>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  listWorkspacesForUser(userId: string): Promise<WorkspaceMembership[]>;
  /** The user's role in the workspace, or undefined when not a member. */
  getRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>;
  listMembers(workspaceId: string): Promise<MemberRecord[]>;
  /** Adds a member or changes their role. */
  setMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void>;
  removeMember(workspaceId: string, userId: string): Promise<boolean>;

  recordAudit(event: NewAuditEvent): Promise<void>;
  /**
   * Newest first: the workspace's events plus sign-in events (workspace null) of the workspace's current members.
   */
  listAudit(workspaceId: string, limit: number): Promise<AuditEvent[]>;

  close(): Promise<void>;
}
