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
  countUsers(): number;
  /** Hashes the password (scrypt, per-user salt); fails when the email is taken. */
  createUser(user: NewUser): Promise<Result<UserRecord>>;
  getUser(id: string): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  /** The user when the password matches (constant-time comparison); undefined otherwise. */
  verifyPassword(email: string, password: string): Promise<UserRecord | undefined>;

  listUsers(): UserRecord[];
  setServerAdmin(userId: string, serverAdmin: boolean): void;
  /** Replaces the password hash (scrypt); false when there is no such user. */
  setPassword(userId: string, password: string): Promise<boolean>;
  /** Deletes the user with their sessions, memberships, invitations sent and reset codes. */
  deleteUser(userId: string): boolean;

  /** A one-time reset code for the user (only its hash is stored; a new one replaces the old). */
  createResetCode(userId: string, lifetimeMs: number): string;
  /** The user when `code` is their live reset code; the code is used up either way on a match. */
  consumeResetCode(email: string, code: string): UserRecord | undefined;

  /** An invitation to a workspace for an email; returns the random token the invitee accepts with. */
  createInvitation(invitation: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string; lifetimeMs: number }): {
    token: string;
    invitation: InvitationRecord;
  };
  /** Live invitations of a workspace. */
  listInvitations(workspaceId: string): InvitationRecord[];
  /** Live invitations sent to an email. */
  listInvitationsForEmail(email: string): InvitationRecord[];
  findInvitationByToken(token: string): InvitationRecord | undefined;
  getInvitation(id: string): InvitationRecord | undefined;
  /** Makes the user a member with the invitation's role and deletes the invitation. */
  acceptInvitation(id: string, userId: string): boolean;
  deleteInvitation(id: string): boolean;

  /** A new sign-in session: returns the random token to put in the cookie (only its hash is stored). */
  createAuthSession(userId: string, lifetimeMs: number): { token: string; session: AuthSession };
  /** The session for a cookie token, or undefined when unknown or expired. */
  findAuthSession(token: string): AuthSession | undefined;
  deleteAuthSession(token: string): void;
  /** Ends every session of the user (but the one with `exceptToken`); returns how many ended. */
  deleteAuthSessionsForUser(userId: string, exceptToken?: string): number;

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
