/**
 * The shared AccountsStore: users, sign-in sessions, workspaces, memberships, invitations, reset codes, the sign-in
 * throttle's failures and the audit log in PostgreSQL, so that any number of `hearth serve` processes behind a load
 * balancer see the same accounts, sign-ins and lockouts (nothing of it is kept in a process's memory).
 *
 * As in SQLite, passwords are scrypt hashes (password-hash.ts) and every token and code is stored only as its
 * SHA-256. Times that decide something (expiry, the throttle's window) are the database's clock, so servers whose
 * clocks differ still agree. The tables are server-wide (`accounts_` prefix, component "accounts" in the migration
 * table): a user and a session belong to no single workspace; the workspace-scoped rows (memberships, invitations,
 * audit events) carry `workspace_id` and every statement on them filters by it.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { HearthError, fail, ok } from "../../errors/hearth-error.ts";
import type { Result } from "../../errors/hearth-error.ts";
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
} from "../accounts-types.ts";
import {
  checkRole,
  duplicateEmail,
  hashResetCode,
  hashThrottleKey,
  hashToken,
  newInvitationToken,
  newResetCode,
  newSessionToken,
  normaliseEmail,
  toRole,
} from "../accounts-values.ts";
import { decoyHash, hashPassword, verifyPasswordHash } from "../password-hash.ts";
import { acquirePostgresPool, inTransaction, releasePostgresPool } from "./postgres-connection.ts";
import type { PostgresMigration } from "./postgres-migrations.ts";
import { migrate } from "./postgres-migrations.ts";

export const accountsComponent = "accounts";

export const postgresAccountsMigrations: PostgresMigration[] = [
  {
    version: 1,
    description: "users, sign-in sessions, workspaces, memberships, invitations, reset codes, sign-in failures, audit events",
    sql: `
      CREATE TABLE accounts_users (
        id text PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        password_hash text NOT NULL,
        server_admin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE accounts_auth_sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX accounts_auth_sessions_user ON accounts_auth_sessions (user_id);
      CREATE INDEX accounts_auth_sessions_expiry ON accounts_auth_sessions (expires_at);
      CREATE TABLE accounts_workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE accounts_memberships (
        workspace_id text NOT NULL REFERENCES accounts_workspaces (id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES accounts_users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX accounts_memberships_user ON accounts_memberships (user_id);
      CREATE TABLE accounts_invitations (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        workspace_id text NOT NULL REFERENCES accounts_workspaces (id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        invited_by text REFERENCES accounts_users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX accounts_invitations_workspace ON accounts_invitations (workspace_id, email);
      CREATE INDEX accounts_invitations_email ON accounts_invitations (email);
      CREATE TABLE accounts_reset_codes (
        user_id text PRIMARY KEY REFERENCES accounts_users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE accounts_sign_in_failures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX accounts_sign_in_failures_key ON accounts_sign_in_failures (key, at);
      CREATE INDEX accounts_sign_in_failures_time ON accounts_sign_in_failures (at);
      -- No foreign key on user_id: the log outlives the accounts it names (shown as "(unknown)" then).
      CREATE TABLE accounts_audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        time timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id text,
        workspace_id text,
        action text NOT NULL,
        detail text NOT NULL
      );
      CREATE INDEX accounts_audit_events_workspace ON accounts_audit_events (workspace_id, id);
      CREATE INDEX accounts_audit_events_user ON accounts_audit_events (user_id, id) WHERE workspace_id IS NULL;
    `,
  },
];

/** Held (per transaction) while a user is created, so that of the first users created at once exactly one is admin. */
const userCreationLock = 4_823_118;
const uniqueViolation = "23505";

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Date;
  server_admin: boolean;
}

interface InvitationRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  email: string;
  role: string;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
}

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: Date;
}

const iso = (value: Date): string => value.toISOString();

function toUser(row: UserRow): UserRecord {
  return { id: row.id, email: row.email, name: row.name, createdAt: iso(row.created_at), serverAdmin: row.server_admin };
}

function toInvitation(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    email: row.email,
    role: toRole(row.role),
    invitedBy: row.invited_by,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  };
}

function toWorkspace(row: WorkspaceRow): WorkspaceRecord {
  return { id: row.id, name: row.name, createdAt: iso(row.created_at) };
}

const userColumns = "u.id, u.email, u.name, u.password_hash, u.created_at, u.server_admin";
const invitationSelect = `SELECT i.*, w.name AS workspace_name FROM accounts_invitations i JOIN accounts_workspaces w ON w.id = i.workspace_id`;
/** A lifetime or window in milliseconds as an interval (negative lifetimes make things already expired). */
const milliseconds = (parameter: string): string => `(${parameter}::double precision * interval '1 millisecond')`;
/** Byte order, as SQLite sorts, whatever the database's collation. */
const byEmail = (column: string): string => `${column} COLLATE "C"`;

/**
 * PostgreSQL text cannot hold NUL (SQLite can): in free text (names, audit details such as a question) it is shown
 * as U+FFFD; an email with one matches nobody (none can be stored).
 */
const storable = (text: string): string => text.replaceAll("\u0000", "\uFFFD");
const unstorable = (text: string): boolean => text.includes("\u0000");

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === uniqueViolation;
}

export class PostgresAccountsStore implements AccountsStore {
  readonly #pool: pg.Pool;
  readonly #url: string;
  #closed = false;

  constructor(pool: pg.Pool, url: string) {
    this.#pool = pool;
    this.#url = url;
  }

  /**
   * One statement outside a transaction; a NUL in an id from a URL then matches nothing rather than failing. `name`
   * prepares it (parsed and planned once per connection) for the few run on every request: the session, the member's
   * role, the workspace, the audit line. One name, one text.
   */
  #query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = [], name?: string): Promise<pg.QueryResult<Row>> {
    const stored = values.map((value) => (typeof value === "string" ? storable(value) : value));
    if (name !== undefined) return this.#pool.query<Row>({ name, text: sql, values: stored });
    return this.#pool.query<Row>(sql, stored);
  }

  async #rows<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = [], name?: string): Promise<Row[]> {
    return (await this.#query<Row>(sql, values, name)).rows;
  }

  async #changes(sql: string, values: unknown[] = []): Promise<number> {
    return (await this.#query(sql, values)).rowCount ?? 0;
  }

  async #userByEmail(email: string): Promise<UserRow | undefined> {
    if (unstorable(email)) return undefined;
    return (await this.#rows<UserRow>(`SELECT ${userColumns} FROM accounts_users u WHERE u.email = $1`, [normaliseEmail(email)]))[0];
  }

  async countUsers(): Promise<number> {
    const [row] = await this.#rows<{ n: string }>("SELECT count(*) AS n FROM accounts_users");
    return Number(row?.n ?? 0);
  }

  async createUser(user: NewUser): Promise<Result<UserRecord>> {
    const email = normaliseEmail(user.email);
    if (unstorable(email)) return fail(new HearthError("INVALID_INPUT", "An email cannot contain a NUL character", { subject: "email" }));
    if (await this.#userByEmail(email)) return fail(duplicateEmail(email));
    const passwordHash = await hashPassword(user.password);
    try {
      const row = await inTransaction(this.#pool, async (client) => {
        // Serialises user creation (rare) so that "no user yet" is decided once: the first account administers the
        // server, even when several servers take their first sign-ups at once.
        await client.query("SELECT pg_advisory_xact_lock($1)", [userCreationLock]);
        const inserted = await client.query<UserRow>(
          `INSERT INTO accounts_users (id, email, name, password_hash, server_admin)
           VALUES ($1, $2, $3, $4, NOT EXISTS (SELECT 1 FROM accounts_users))
           RETURNING id, email, name, password_hash, created_at, server_admin`,
          [randomUUID(), email, storable(user.name.trim()), passwordHash],
        );
        return inserted.rows[0];
      });
      if (!row) throw new HearthError("STORE_FAILED", "accounts: the user was not saved");
      return ok(toUser(row));
    } catch (error) {
      // Two sign-ups for the same email raced past the check above; the UNIQUE constraint decides.
      if (isUniqueViolation(error)) return fail(duplicateEmail(email, error));
      throw error;
    }
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.#rows<UserRow>(`SELECT ${userColumns} FROM accounts_users u WHERE u.id = $1`, [id]);
    return row ? toUser(row) : undefined;
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.#userByEmail(email);
    return row ? toUser(row) : undefined;
  }

  async verifyPassword(email: string, password: string): Promise<UserRecord | undefined> {
    const row = await this.#userByEmail(email);
    if (!row) {
      // Spend the same time as for a real user, so response times do not tell which emails exist.
      await verifyPasswordHash(password, await decoyHash());
      return undefined;
    }
    return (await verifyPasswordHash(password, row.password_hash)) ? toUser(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.#rows<UserRow>(`SELECT ${userColumns} FROM accounts_users u ORDER BY ${byEmail("u.email")}`)).map(toUser);
  }

  async setServerAdmin(userId: string, serverAdmin: boolean): Promise<void> {
    await this.#query("UPDATE accounts_users SET server_admin = $2 WHERE id = $1", [userId, serverAdmin]);
  }

  async setPassword(userId: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return (await this.#changes("UPDATE accounts_users SET password_hash = $2 WHERE id = $1", [userId, passwordHash])) > 0;
  }

  async deleteUser(userId: string): Promise<boolean> {
    // Sessions, memberships and reset codes go by ON DELETE CASCADE; invitations sent keep going, unattributed.
    return (await this.#changes("DELETE FROM accounts_users WHERE id = $1", [userId])) > 0;
  }

  async createResetCode(userId: string, lifetimeMs: number): Promise<string> {
    const code = newResetCode();
    await this.#query(
      `INSERT INTO accounts_reset_codes (user_id, code_hash, expires_at) VALUES ($1, $2, now() + ${milliseconds("$3")})
       ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at`,
      [userId, hashResetCode(code), lifetimeMs],
    );
    return code;
  }

  async consumeResetCode(email: string, code: string): Promise<UserRecord | undefined> {
    if (unstorable(email)) return undefined;
    // One statement: of two servers consuming the same code at once, only one gets the row back.
    const [row] = await this.#rows<UserRow & { live: boolean }>(
      `DELETE FROM accounts_reset_codes r USING accounts_users u
       WHERE r.user_id = u.id AND u.email = $1 AND r.code_hash = $2
       RETURNING ${userColumns}, r.expires_at > now() AS live`,
      [normaliseEmail(email), hashResetCode(code)],
    );
    return row?.live ? toUser(row) : undefined;
  }

  async createInvitation(invitation: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string; lifetimeMs: number }): Promise<{
    token: string;
    invitation: InvitationRecord;
  }> {
    checkRole(invitation.role);
    const token = newInvitationToken();
    const id = randomUUID();
    const email = normaliseEmail(invitation.email);
    if (unstorable(email)) throw new HearthError("INVALID_INPUT", "An email cannot contain a NUL character", { subject: "email" });
    const row = await inTransaction(this.#pool, async (client) => {
      await client.query("DELETE FROM accounts_invitations WHERE expires_at <= now()");
      // A new invitation for the same email and workspace replaces the old one.
      await client.query("DELETE FROM accounts_invitations WHERE workspace_id = $1 AND email = $2", [invitation.workspaceId, email]);
      await client.query(
        `INSERT INTO accounts_invitations (id, token_hash, workspace_id, email, role, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + ${milliseconds("$7")})`,
        [id, hashToken(token), invitation.workspaceId, email, invitation.role, invitation.invitedBy, invitation.lifetimeMs],
      );
      return (await client.query<InvitationRow>(`${invitationSelect} WHERE i.id = $1`, [id])).rows[0];
    });
    if (!row) throw new HearthError("STORE_FAILED", "accounts: the invitation was not saved");
    return { token, invitation: toInvitation(row) };
  }

  async listInvitations(workspaceId: string): Promise<InvitationRecord[]> {
    return (
      await this.#rows<InvitationRow>(`${invitationSelect} WHERE i.workspace_id = $1 AND i.expires_at > now() ORDER BY i.created_at, i.id`, [workspaceId])
    ).map(toInvitation);
  }

  async listInvitationsForEmail(email: string): Promise<InvitationRecord[]> {
    if (unstorable(email)) return [];
    return (
      await this.#rows<InvitationRow>(`${invitationSelect} WHERE i.email = $1 AND i.expires_at > now() ORDER BY i.created_at, i.id`, [normaliseEmail(email)])
    ).map(toInvitation);
  }

  async findInvitationByToken(token: string): Promise<InvitationRecord | undefined> {
    const [row] = await this.#rows<InvitationRow>(`${invitationSelect} WHERE i.token_hash = $1 AND i.expires_at > now()`, [hashToken(token)]);
    return row ? toInvitation(row) : undefined;
  }

  async getInvitation(id: string): Promise<InvitationRecord | undefined> {
    const [row] = await this.#rows<InvitationRow>(`${invitationSelect} WHERE i.id = $1 AND i.expires_at > now()`, [id]);
    return row ? toInvitation(row) : undefined;
  }

  async acceptInvitation(id: string, userId: string): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      // Taking the invitation and joining are one transaction: an invitation is used once, whichever server is asked.
      const taken = await client.query<{ workspace_id: string; role: string }>(
        "DELETE FROM accounts_invitations WHERE id = $1 AND expires_at > now() RETURNING workspace_id, role",
        [id],
      );
      const invitation = taken.rows[0];
      if (!invitation) return false;
      // Accepting never lowers a role the person already has.
      await client.query(
        `INSERT INTO accounts_memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = CASE
           WHEN array_position(ARRAY['viewer', 'editor', 'admin'], excluded.role) > array_position(ARRAY['viewer', 'editor', 'admin'], accounts_memberships.role)
           THEN excluded.role ELSE accounts_memberships.role END`,
        [invitation.workspace_id, userId, toRole(invitation.role)],
      );
      return true;
    });
  }

  async deleteInvitation(id: string): Promise<boolean> {
    return (await this.#changes("DELETE FROM accounts_invitations WHERE id = $1", [id])) > 0;
  }

  async createAuthSession(userId: string, lifetimeMs: number): Promise<{ token: string; session: AuthSession }> {
    const user = await this.getUser(userId);
    if (!user) throw new HearthError("NOT_FOUND", `accounts: no user ${userId}`, { subject: userId });
    const token = newSessionToken();
    const csrfToken = newSessionToken();
    const expiresAt = await inTransaction(this.#pool, async (client) => {
      // Expired sessions are swept whenever a new one starts, so the table does not grow without bound.
      await client.query("DELETE FROM accounts_auth_sessions WHERE expires_at <= now()");
      const inserted = await client.query<{ expires_at: Date }>(
        `INSERT INTO accounts_auth_sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + ${milliseconds("$4")})
         RETURNING expires_at`,
        [hashToken(token), userId, csrfToken, lifetimeMs],
      );
      return inserted.rows[0]?.expires_at;
    });
    if (!expiresAt) throw new HearthError("STORE_FAILED", "accounts: the sign-in session was not saved");
    return { token, session: { user, csrfToken, expiresAt: iso(expiresAt) } };
  }

  async findAuthSession(token: string): Promise<AuthSession | undefined> {
    const [row] = await this.#rows<UserRow & { csrf_token: string; expires_at: Date }>(
      `SELECT s.csrf_token, s.expires_at, ${userColumns} FROM accounts_auth_sessions s JOIN accounts_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [hashToken(token)],
      "hearth_auth_session",
    );
    return row ? { user: toUser(row), csrfToken: row.csrf_token, expiresAt: iso(row.expires_at) } : undefined;
  }

  async deleteAuthSession(token: string): Promise<void> {
    await this.#query("DELETE FROM accounts_auth_sessions WHERE token_hash = $1", [hashToken(token)]);
  }

  async deleteAuthSessionsForUser(userId: string, exceptToken?: string): Promise<number> {
    return this.#changes("DELETE FROM accounts_auth_sessions WHERE user_id = $1 AND token_hash <> $2", [
      userId,
      exceptToken === undefined ? "" : hashToken(exceptToken),
    ]);
  }

  async recordSignInFailure(key: string): Promise<void> {
    await this.#query("INSERT INTO accounts_sign_in_failures (key) VALUES ($1)", [hashThrottleKey(key)]);
  }

  async recentSignInFailures(key: string, windowMs: number): Promise<number[]> {
    const rows = await this.#rows<{ age: number }>(
      `SELECT greatest(0, extract(epoch FROM clock_timestamp() - at) * 1000)::double precision AS age FROM accounts_sign_in_failures
       WHERE key = $1 AND at > clock_timestamp() - ${milliseconds("$2")} ORDER BY at, id`,
      [hashThrottleKey(key), windowMs],
    );
    return rows.map((row) => row.age);
  }

  async clearSignInFailures(key: string): Promise<void> {
    await this.#query("DELETE FROM accounts_sign_in_failures WHERE key = $1", [hashThrottleKey(key)]);
  }

  async pruneSignInFailures(olderThanMs: number): Promise<number> {
    return this.#changes(`DELETE FROM accounts_sign_in_failures WHERE at <= clock_timestamp() - ${milliseconds("$1")}`, [olderThanMs]);
  }

  async createWorkspace(name: string, ownerUserId: string): Promise<WorkspaceRecord> {
    const id = randomUUID();
    const row = await inTransaction(this.#pool, async (client) => {
      const inserted = await client.query<WorkspaceRow>("INSERT INTO accounts_workspaces (id, name) VALUES ($1, $2) RETURNING id, name, created_at", [id, storable(name.trim())]);
      await client.query("INSERT INTO accounts_memberships (workspace_id, user_id, role) VALUES ($1, $2, 'admin')", [id, ownerUserId]);
      return inserted.rows[0];
    });
    if (!row) throw new HearthError("STORE_FAILED", "accounts: the workspace was not saved");
    return toWorkspace(row);
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    const [row] = await this.#rows<WorkspaceRow>("SELECT id, name, created_at FROM accounts_workspaces WHERE id = $1", [id], "hearth_workspace");
    return row ? toWorkspace(row) : undefined;
  }

  async listWorkspaces(): Promise<WorkspaceRecord[]> {
    return (await this.#rows<WorkspaceRow>("SELECT id, name, created_at FROM accounts_workspaces ORDER BY created_at, id")).map(toWorkspace);
  }

  async listWorkspacesForUser(userId: string): Promise<WorkspaceMembership[]> {
    const rows = await this.#rows<WorkspaceRow & { role: string }>(
      `SELECT w.id, w.name, w.created_at, m.role FROM accounts_memberships m JOIN accounts_workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $1 ORDER BY w.created_at, w.id`,
      [userId],
    );
    return rows.map((row) => ({ workspace: toWorkspace(row), role: toRole(row.role) }));
  }

  async getRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined> {
    const [row] = await this.#rows<{ role: string }>("SELECT role FROM accounts_memberships WHERE workspace_id = $1 AND user_id = $2", [workspaceId, userId], "hearth_role");
    return row ? toRole(row.role) : undefined;
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = await this.#rows<{ id: string; email: string; name: string; role: string }>(
      `SELECT u.id, u.email, u.name, m.role FROM accounts_memberships m JOIN accounts_users u ON u.id = m.user_id
       WHERE m.workspace_id = $1 ORDER BY ${byEmail("u.email")}`,
      [workspaceId],
    );
    return rows.map((row) => ({ userId: row.id, email: row.email, name: row.name, role: toRole(row.role) }));
  }

  async setMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    checkRole(role);
    await this.#query(
      `INSERT INTO accounts_memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
      [workspaceId, userId, role],
    );
  }

  async removeMember(workspaceId: string, userId: string): Promise<boolean> {
    return (await this.#changes("DELETE FROM accounts_memberships WHERE workspace_id = $1 AND user_id = $2", [workspaceId, userId])) > 0;
  }

  async recordAudit(event: NewAuditEvent): Promise<void> {
    await this.#query(
      "INSERT INTO accounts_audit_events (user_id, workspace_id, action, detail) VALUES ($1, $2, $3, $4)",
      [event.userId, event.workspaceId, storable(event.action), storable(event.detail)],
      "hearth_audit",
    );
  }

  async listAudit(workspaceId: string, limit: number): Promise<AuditEvent[]> {
    const rows = await this.#rows<{
      id: string;
      time: Date;
      user_id: string | null;
      workspace_id: string | null;
      action: string;
      detail: string;
      email: string | null;
    }>(
      `SELECT a.id, a.time, a.user_id, a.workspace_id, a.action, a.detail, u.email
       FROM accounts_audit_events a LEFT JOIN accounts_users u ON u.id = a.user_id
       WHERE a.workspace_id = $1
          OR (a.workspace_id IS NULL AND a.user_id IN (SELECT user_id FROM accounts_memberships WHERE workspace_id = $1))
       ORDER BY a.id DESC LIMIT $2`,
      [workspaceId, Math.max(1, Math.trunc(limit))],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      time: iso(row.time),
      userId: row.user_id,
      user: row.email ?? "(unknown)",
      workspaceId: row.workspace_id,
      action: row.action,
      detail: row.detail,
    }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await releasePostgresPool(this.#url);
  }
}

/** Connects (one pool per URL per process, shared with the other PostgreSQL parts) and migrates the accounts tables. */
export async function openPostgresAccounts(url: string): Promise<PostgresAccountsStore> {
  const pool = await acquirePostgresPool(url);
  try {
    await migrate(pool, accountsComponent, postgresAccountsMigrations);
  } catch (error) {
    await releasePostgresPool(url);
    throw error;
  }
  return new PostgresAccountsStore(pool, url);
}
