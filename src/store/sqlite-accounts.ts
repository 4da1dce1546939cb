/**
 * The embedded AccountsStore: one SQLite file (`accounts.db`) in the data folder, beside the per-workspace
 * libraries. Session tokens are random 32 bytes; only their SHA-256 is stored, so a copy of the file does not sign
 * anyone in.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type {
  AccountsStore,
  AuditEvent,
  AuthSession,
  MemberRecord,
  NewAuditEvent,
  NewUser,
  UserRecord,
  WorkspaceMembership,
  WorkspaceRecord,
  WorkspaceRole,
} from "./accounts-types.ts";
import { workspaceRoles } from "./accounts-types.ts";
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
];

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: string;
}

const normaliseEmail = (email: string): string => email.trim().toLowerCase();
const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
const isRole = (value: string): value is WorkspaceRole => (workspaceRoles as readonly string[]).includes(value);

function toUser(row: UserRow): UserRecord {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
}

function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

function toRole(value: string): WorkspaceRole {
  if (!isRole(value)) throw new HearthError("STORE_FAILED", `accounts: unknown role "${value}" in the database`);
  return value;
}

export class SqliteAccountsStore implements AccountsStore {
  readonly #database: Database.Database;

  constructor(database: Database.Database) {
    this.#database = database;
  }

  countUsers(): number {
    return (this.#database.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }

  async createUser(user: NewUser): Promise<Result<UserRecord>> {
    const email = normaliseEmail(user.email);
    if (this.findUserByEmail(email)) {
      return fail(new HearthError("INVALID_INPUT", `A user with the email ${email} already exists`, { subject: "email" }));
    }
    const passwordHash = await hashPassword(user.password);
    const record: UserRecord = { id: randomUUID(), email, name: user.name.trim(), createdAt: new Date().toISOString() };
    try {
      this.#database
        .prepare("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(record.id, record.email, record.name, passwordHash, record.createdAt);
    } catch (error) {
      // Two sign-ups for the same email raced past the check above; the UNIQUE constraint decides.
      return fail(new HearthError("INVALID_INPUT", `A user with the email ${email} already exists`, { subject: "email", cause: error }));
    }
    return ok(record);
  }

  getUser(id: string): UserRecord | undefined {
    const row = this.#database.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const row = this.#database.prepare("SELECT * FROM users WHERE email = ?").get(normaliseEmail(email)) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  async verifyPassword(email: string, password: string): Promise<UserRecord | undefined> {
    const row = this.#database.prepare("SELECT * FROM users WHERE email = ?").get(normaliseEmail(email)) as UserRow | undefined;
    if (!row) {
      // Spend the same time as for a real user, so response times do not tell which emails exist.
      await verifyPasswordHash(password, await decoyHash());
      return undefined;
    }
    return (await verifyPasswordHash(password, row.password_hash)) ? toUser(row) : undefined;
  }

  createAuthSession(userId: string, lifetimeMs: number): { token: string; session: AuthSession } {
    const user = this.getUser(userId);
    if (!user) throw new HearthError("NOT_FOUND", `accounts: no user ${userId}`, { subject: userId });
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
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
    return { token, session: { user, csrfToken, expiresAt } };
  }

  findAuthSession(token: string): AuthSession | undefined {
    const row = this.#database
      .prepare(
        `SELECT s.csrf_token, s.expires_at, u.* FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(hashToken(token), new Date().toISOString()) as (UserRow & { csrf_token: string; expires_at: string }) | undefined;
    return row ? { user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at } : undefined;
  }

  deleteAuthSession(token: string): void {
    this.#database.prepare("DELETE FROM auth_sessions WHERE token_hash = ?").run(hashToken(token));
  }

  createWorkspace(name: string, ownerUserId: string): WorkspaceRecord {
    const record: WorkspaceRecord = { id: randomUUID(), name: name.trim(), createdAt: new Date().toISOString() };
    const database = this.#database;
    database.transaction(() => {
      database.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").run(record.id, record.name, record.createdAt);
      database.prepare("INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, 'admin')").run(record.id, ownerUserId);
    })();
    return record;
  }

  getWorkspace(id: string): WorkspaceRecord | undefined {
    const row = this.#database.prepare("SELECT * FROM workspaces WHERE id = ?").get(id) as WorkspaceRow | undefined;
    return row ? toWorkspace(row) : undefined;
  }

  listWorkspaces(): WorkspaceRecord[] {
    return (this.#database.prepare("SELECT * FROM workspaces ORDER BY created_at, id").all() as WorkspaceRow[]).map(toWorkspace);
  }

  listWorkspacesForUser(userId: string): WorkspaceMembership[] {
    const rows = this.#database
      .prepare(
        `SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
         WHERE m.user_id = ? ORDER BY w.created_at, w.id`,
      )
      .all(userId) as (WorkspaceRow & { role: string })[];
    return rows.map((row) => ({ workspace: toWorkspace(row), role: toRole(row.role) }));
  }

  getRole(workspaceId: string, userId: string): WorkspaceRole | undefined {
    const row = this.#database
      .prepare("SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?")
      .get(workspaceId, userId) as { role: string } | undefined;
    return row ? toRole(row.role) : undefined;
  }

  listMembers(workspaceId: string): MemberRecord[] {
    const rows = this.#database
      .prepare(
        `SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = ? ORDER BY u.email`,
      )
      .all(workspaceId) as { id: string; email: string; name: string; role: string }[];
    return rows.map((row) => ({ userId: row.id, email: row.email, name: row.name, role: toRole(row.role) }));
  }

  setMember(workspaceId: string, userId: string, role: WorkspaceRole): void {
    if (!isRole(role)) throw new HearthError("INVALID_INPUT", `Unknown role "${String(role)}"`, { subject: "role" });
    this.#database
      .prepare(
        `INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, ?)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
      )
      .run(workspaceId, userId, role);
  }

  removeMember(workspaceId: string, userId: string): boolean {
    return this.#database.prepare("DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?").run(workspaceId, userId).changes > 0;
  }

  recordAudit(event: NewAuditEvent): void {
    this.#database
      .prepare("INSERT INTO audit_events (time, user_id, workspace_id, action, detail) VALUES (?, ?, ?, ?, ?)")
      .run(new Date().toISOString(), event.userId, event.workspaceId, event.action, event.detail);
  }

  listAudit(workspaceId: string, limit: number): AuditEvent[] {
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

  close(): void {
    if (this.#database.open) this.#database.close();
  }
}

export type SqliteAccountsOptions = { dataDir: string } | { path: string };

export function openSqliteAccounts(options: SqliteAccountsOptions): SqliteAccountsStore {
  let path: string;
  if ("dataDir" in options) {
    mkdirSync(options.dataDir, { recursive: true });
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
  } catch (error) {
    database.close();
    throw error instanceof HearthError
      ? error
      : new HearthError("STORE_FAILED", `${path}: cannot open the accounts database`, { subject: path, cause: error });
  }
  return new SqliteAccountsStore(database);
}
