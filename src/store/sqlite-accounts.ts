/**
 * The embedded AccountsStore: one SQLite file (`accounts.db`) in the data folder, beside the per-workspace
 * libraries. Session tokens are random 32 bytes; only their SHA-256 is stored, so a copy of the file does not sign
 * anyone in.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type {
  AccountsStore,
  AuditEvent,
  AuthSession,
  InvitationRecord,
  MemberRecord,
  NewAuditEvent,
  NewUser,
  UserRecord,
  WorkspaceMembership,
  WorkspaceRecord,
  WorkspaceRole,
} from "./accounts-types.ts";
import {
  hashThrottleKey,
  checkRole,
  duplicateEmail,
  hashResetCode,
  hashToken,
  newInvitationToken,
  newResetCode,
  newSessionToken,
  normaliseEmail,
  roleRank,
  toRole,
} from "./accounts-values.ts";
import type { Migration } from "./sqlite-migrations.ts";
import { migrate } from "./sqlite-migrations.ts";
import { decoyHash, hashPassword, verifyPasswordHash } from "./password-hash.ts";

export const accountsFileName = "accounts.db";

export const accountsMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "users, sign-in sessions, workspaces, memberships, audit events",
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE auth_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE memberships (
        workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        PRIMARY KEY (workspace_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX memberships_user ON memberships (user_id);
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        user_id TEXT,
        workspace_id TEXT,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_events_workspace ON audit_events (workspace_id, id);
    `,
  },
  {
    version: 2,
    description: "server admins, invitations, one-time password reset codes",
    sql: `
      ALTER TABLE users ADD COLUMN server_admin INTEGER NOT NULL DEFAULT 0;
      -- The first user (who ran setup) administers the server.
      UPDATE users SET server_admin = 1 WHERE id = (SELECT id FROM users ORDER BY created_at, rowid LIMIT 1);
      CREATE TABLE invitations (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX invitations_email ON invitations (email);
      CREATE TABLE reset_codes (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: "sign-in failures for the throttle (shared by every server process, kept across restarts)",
    sql: `
      CREATE TABLE sign_in_failures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at_ms);
      CREATE INDEX sign_in_failures_time ON sign_in_failures (at_ms);
    `,
  },
];

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
  server_admin: number;
}

interface InvitationRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  email: string;
  role: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
}

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: string;
}

function toUser(row: UserRow): UserRecord {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at, serverAdmin: row.server_admin === 1 };
}

function toInvitation(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    email: row.email,
    role: toRole(row.role),
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

const invitationSelect = `SELECT i.*, w.name AS workspace_name FROM invitations i JOIN workspaces w ON w.id = i.workspace_id`;

function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

/**
 * The driver is synchronous (better-sqlite3): each method does its work at once and returns a settled promise, as
 * the async contract asks. Transactions use the synchronous private helpers below, never an await inside.
 */
export class SqliteAccountsStore implements AccountsStore {
  readonly #database: Database.Database;

  constructor(database: Database.Database) {
    this.#database = database;
  }

  #countUsers(): number {
    return (this.#database.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }

  #userByEmail(email: string): UserRow | undefined {
    return this.#database.prepare("SELECT * FROM users WHERE email = ?").get(normaliseEmail(email)) as UserRow | undefined;
  }

  #userById(id: string): UserRow | undefined {
    return this.#database.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
  }

  #role(workspaceId: string, userId: string): WorkspaceRole | undefined {
    const row = this.#database
      .prepare("SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?")
      .get(workspaceId, userId) as { role: string } | undefined;
    return row ? toRole(row.role) : undefined;
  }

  #setMember(workspaceId: string, userId: string, role: WorkspaceRole): void {
    this.#database
      .prepare(
        `INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
      )
      .run(workspaceId, userId, role);
  }

  #invitation(id: string): InvitationRow | undefined {
    return this.#database.prepare(`${invitationSelect} WHERE i.id = ? AND i.expires_at > ?`).get(id, new Date().toISOString()) as InvitationRow | undefined;
  }

  async countUsers(): Promise<number> {
    return this.#countUsers();
  }

  async createUser(user: NewUser): Promise<Result<UserRecord>> {
    const email = normaliseEmail(user.email);
    if (this.#userByEmail(email)) return fail(duplicateEmail(email));
    const passwordHash = await hashPassword(user.password);
    // The first account administers the server (it is made by setup or by `hearth users add`).
    const record: UserRecord = { id: randomUUID(), email, name: user.name.trim(), createdAt: new Date().toISOString(), serverAdmin: this.#countUsers() === 0 };
    try {
      this.#database
        .prepare("INSERT INTO users (id, email, name, password_hash, created_at, server_admin) VALUES (?, ?, ?, ?, ?, ?)")
        .run(record.id, record.email, record.name, passwordHash, record.createdAt, record.serverAdmin ? 1 : 0);
    } catch (error) {
      // Two sign-ups for the same email raced past the check above; the UNIQUE constraint decides.
      return fail(duplicateEmail(email, error));
    }
    return ok(record);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.#userById(id);
    return row ? toUser(row) : undefined;
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = this.#userByEmail(email);
    return row ? toUser(row) : undefined;
  }

  async verifyPassword(email: string, password: string): Promise<UserRecord | undefined> {
    const row = this.#userByEmail(email);
    if (!row) {
      // Spend the same time as for a real user, so response times do not tell which emails exist.
      await verifyPasswordHash(password, await decoyHash());
      return undefined;
    }
    return (await verifyPasswordHash(password, row.password_hash)) ? toUser(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.#database.prepare("SELECT * FROM users ORDER BY email").all() as UserRow[]).map(toUser);
  }

  async setServerAdmin(userId: string, serverAdmin: boolean): Promise<void> {
    this.#database.prepare("UPDATE users SET server_admin = ? WHERE id = ?").run(serverAdmin ? 1 : 0, userId);
  }

  async setPassword(userId: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return this.#database.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, userId).changes > 0;
  }

  async deleteUser(userId: string): Promise<boolean> {
    // Sessions, memberships and reset codes go by ON DELETE CASCADE; invitations sent keep going, unattributed.
    return this.#database.prepare("DELETE FROM users WHERE id = ?").run(userId).changes > 0;
  }

  async createResetCode(userId: string, lifetimeMs: number): Promise<string> {
    const code = newResetCode();
    this.#database
      .prepare(
        `INSERT INTO reset_codes (user_id, code_hash, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at`,
      )
      .run(userId, hashToken(code), new Date(Date.now() + lifetimeMs).toISOString());
    return code;
  }

  async consumeResetCode(email: string, code: string): Promise<UserRecord | undefined> {
    const row = this.#database
      .prepare(
        `SELECT u.*, r.code_hash, r.expires_at FROM reset_codes r JOIN users u ON u.id = r.user_id WHERE u.email = ?`,
      )
      .get(normaliseEmail(email)) as (UserRow & { code_hash: string; expires_at: string }) | undefined;
    if (!row) return undefined;
    const expected = Buffer.from(row.code_hash);
    const actual = Buffer.from(hashResetCode(code));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    this.#database.prepare("DELETE FROM reset_codes WHERE user_id = ?").run(row.id);
    return row.expires_at > new Date().toISOString() ? toUser(row) : undefined;
  }

  async createInvitation(invitation: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string; lifetimeMs: number }): Promise<{
    token: string;
    invitation: InvitationRecord;
  }> {
    checkRole(invitation.role);
    const token = newInvitationToken();
    const id = randomUUID();
    const now = new Date();
    const email = normaliseEmail(invitation.email);
    const database = this.#database;
    database.transaction(() => {
      database.prepare("DELETE FROM invitations WHERE expires_at <= ?").run(now.toISOString());
      // A new invitation for the same email and workspace replaces the old one.
      database.prepare("DELETE FROM invitations WHERE workspace_id = ? AND email = ?").run(invitation.workspaceId, email);
      database
        .prepare(
          "INSERT INTO invitations (id, token_hash, workspace_id, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(id, hashToken(token), invitation.workspaceId, email, invitation.role, invitation.invitedBy, now.toISOString(), new Date(now.getTime() + invitation.lifetimeMs).toISOString());
    })();
    const row = this.#database.prepare(`${invitationSelect} WHERE i.id = ?`).get(id) as InvitationRow | undefined;
    if (!row) throw new HearthError("STORE_FAILED", "accounts: the invitation was not saved");
    const record = toInvitation(row);
    return { token, invitation: record };
  }

  async listInvitations(workspaceId: string): Promise<InvitationRecord[]> {
    return (
      this.#database.prepare(`${invitationSelect} WHERE i.workspace_id = ? AND i.expires_at > ? ORDER BY i.created_at`).all(workspaceId, new Date().toISOString()) as InvitationRow[]
    ).map(toInvitation);
  }

  async listInvitationsForEmail(email: string): Promise<InvitationRecord[]> {
    return (
      this.#database.prepare(`${invitationSelect} WHERE i.email = ? AND i.expires_at > ? ORDER BY i.created_at`).all(normaliseEmail(email), new Date().toISOString()) as InvitationRow[]
    ).map(toInvitation);
  }

  async findInvitationByToken(token: string): Promise<InvitationRecord | undefined> {
    const row = this.#database.prepare(`${invitationSelect} WHERE i.token_hash = ? AND i.expires_at > ?`).get(hashToken(token), new Date().toISOString()) as
      | InvitationRow
      | undefined;
    return row ? toInvitation(row) : undefined;
  }

  async getInvitation(id: string): Promise<InvitationRecord | undefined> {
    const row = this.#invitation(id);
    return row ? toInvitation(row) : undefined;
  }

  async acceptInvitation(id: string, userId: string): Promise<boolean> {
    const database = this.#database;
    return database.transaction(() => {
      const row = this.#invitation(id);
      if (!row) return false;
      const invitation = toInvitation(row);
      // Accepting never lowers a role the person already has.
      const current = this.#role(invitation.workspaceId, userId);
      if (!current || roleRank[current] < roleRank[invitation.role]) this.#setMember(invitation.workspaceId, userId, invitation.role);
      database.prepare("DELETE FROM invitations WHERE id = ?").run(id);
      return true;
    })();
  }

  async deleteInvitation(id: string): Promise<boolean> {
    return this.#database.prepare("DELETE FROM invitations WHERE id = ?").run(id).changes > 0;
  }

  async createAuthSession(userId: string, lifetimeMs: number): Promise<{ token: string; session: AuthSession }> {
    const row = this.#userById(userId);
    if (!row) throw new HearthError("NOT_FOUND", `accounts: no user ${userId}`, { subject: userId });
    const token = newSessionToken();
    const csrfToken = newSessionToken();
    const now = Date.now();
    const expiresAt = new Date(now + lifetimeMs).toISOString();
    const database = this.#database;
    database.transaction(() => {
      // Expired sessions are swept whenever a new one starts, so the table does not grow without bound.
      database.prepare("DELETE FROM auth_sessions WHERE expires_at <= ?").run(new Date(now).toISOString());
      database
        .prepare("INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .run(hashToken(token), userId, csrfToken, new Date(now).toISOString(), expiresAt);
    })();
    return { token, session: { user: toUser(row), csrfToken, expiresAt } };
  }

  async findAuthSession(token: string): Promise<AuthSession | undefined> {
    const row = this.#database
      .prepare(
        `SELECT s.csrf_token, s.expires_at, u.* FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(hashToken(token), new Date().toISOString()) as (UserRow & { csrf_token: string; expires_at: string }) | undefined;
    return row ? { user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at } : undefined;
  }

  async deleteAuthSession(token: string): Promise<void> {
    this.#database.prepare("DELETE FROM auth_sessions WHERE token_hash = ?").run(hashToken(token));
  }

  async deleteAuthSessionsForUser(userId: string, exceptToken?: string): Promise<number> {
    return this.#database
      .prepare("DELETE FROM auth_sessions WHERE user_id = ? AND token_hash != ?")
      .run(userId, exceptToken === undefined ? "" : hashToken(exceptToken)).changes;
  }

  async recordSignInFailure(key: string): Promise<void> {
    this.#database.prepare("INSERT INTO sign_in_failures (key, at_ms) VALUES (?, ?)").run(hashThrottleKey(key), Date.now());
  }

  async recentSignInFailures(key: string, windowMs: number): Promise<number[]> {
    const now = Date.now();
    const rows = this.#database
      .prepare("SELECT at_ms FROM sign_in_failures WHERE key = ? AND at_ms > ? ORDER BY at_ms, id")
      .all(hashThrottleKey(key), now - windowMs) as { at_ms: number }[];
    return rows.map((row) => Math.max(0, now - row.at_ms));
  }

  async clearSignInFailures(key: string): Promise<void> {
    this.#database.prepare("DELETE FROM sign_in_failures WHERE key = ?").run(hashThrottleKey(key));
  }

  async pruneSignInFailures(olderThanMs: number): Promise<number> {
    return this.#database.prepare("DELETE FROM sign_in_failures WHERE at_ms <= ?").run(Date.now() - olderThanMs).changes;
  }

  async createWorkspace(name: string, ownerUserId: string): Promise<WorkspaceRecord> {
    const record: WorkspaceRecord = { id: randomUUID(), name: name.trim(), createdAt: new Date().toISOString() };
    const database = this.#database;
    database.transaction(() => {
      database.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").run(record.id, record.name, record.createdAt);
      database.prepare("INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, 'admin')").run(record.id, ownerUserId);
    })();
    return record;
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    const row = this.#database.prepare("SELECT * FROM workspaces WHERE id = ?").get(id) as WorkspaceRow | undefined;
    return row ? toWorkspace(row) : undefined;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    return (this.#database.prepare("SELECT * FROM workspaces ORDER BY created_at, id").all() as WorkspaceRow[]).map(toWorkspace);
  }

  async listWorkspacesForUser(userId: string): Promise<WorkspaceMembership[]> {
    const rows = this.#database
      .prepare(
        `SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
         WHERE m.user_id = ? ORDER BY w.created_at, w.id`,
      )
      .all(userId) as (WorkspaceRow & { role: string })[];
    return rows.map((row) => ({ workspace: toWorkspace(row), role: toRole(row.role) }));
  }

  async getRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined> {
    return this.#role(workspaceId, userId);
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = this.#database
      .prepare(
        `SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = ? ORDER BY u.email`,
      )
      .all(workspaceId) as { id: string; email: string; name: string; role: string }[];
    return rows.map((row) => ({ userId: row.id, email: row.email, name: row.name, role: toRole(row.role) }));
  }

  async setMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    checkRole(role);
    this.#setMember(workspaceId, userId, role);
  }

  async removeMember(workspaceId: string, userId: string): Promise<boolean> {
    return this.#database.prepare("DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?").run(workspaceId, userId).changes > 0;
  }

  async recordAudit(event: NewAuditEvent): Promise<void> {
    this.#database
      .prepare("INSERT INTO audit_events (time, user_id, workspace_id, action, detail) VALUES (?, ?, ?, ?, ?)")
      .run(new Date().toISOString(), event.userId, event.workspaceId, event.action, event.detail);
  }

  async listAudit(workspaceId: string, limit: number): Promise<AuditEvent[]> {
    const rows = this.#database
      .prepare(
        `SELECT a.*, u.email FROM audit_events a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.workspace_id = ?
            OR (a.workspace_id IS NULL AND a.user_id IN (SELECT user_id FROM memberships WHERE workspace_id = ?))
         ORDER BY a.id DESC LIMIT ?`,
      )
      .all(workspaceId, workspaceId, Math.max(1, Math.trunc(limit))) as {
      id: number;
      time: string;
      user_id: string | null;
      workspace_id: string | null;
      action: string;
      detail: string;
      email: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      time: row.time,
      userId: row.user_id,
      user: row.email ?? "(unknown)",
      workspaceId: row.workspace_id,
      action: row.action,
      detail: row.detail,
    }));
  }

  async close(): Promise<void> {
    if (this.#database.open) this.#database.close();
  }
}

/** The database and its WAL files readable by the owner only (0600), whatever the umask. */
export function restrictToOwner(databasePath: string): void {
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      chmodSync(`${databasePath}${suffix}`, 0o600);
    } catch {
      // The -wal and -shm files exist only while the database is open in WAL mode.
    }
  }
}

export type SqliteAccountsOptions = { dataDir: string } | { path: string };

export function openSqliteAccounts(options: SqliteAccountsOptions): SqliteAccountsStore {
  let path: string;
  if ("dataDir" in options) {
    // The data folder holds children's data: owner only.
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(options.dataDir, 0o700);
    path = join(options.dataDir, accountsFileName);
  } else {
    path = options.path;
  }
  const database = new Database(path);
  try {
    database.pragma("busy_timeout = 5000");
    if (path !== ":memory:") database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    migrate(database, path, accountsMigrations);
    if (path !== ":memory:") restrictToOwner(path);
  } catch (error) {
    database.close();
    throw error instanceof HearthError
      ? error
      : new HearthError("STORE_FAILED", `${path}: cannot open the accounts database`, { subject: path, cause: error });
  }
  return new SqliteAccountsStore(database);
}
