/**
 * `hearth users list|add|reset|remove`: account administration on the server machine, for the person who runs it
 * (no sign-in needed: whoever can read the data folder owns the server anyway). New accounts and resets get a
 * one-time code, never a password on the command line; the person sets their password with it on the sign-in page
 * ("I have a reset code").
 */
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import type { AccountsStore, UserRecord, WorkspaceRole } from "../store/accounts-types.ts";
import { workspaceRoles } from "../store/accounts-types.ts";
import type { CommandContext } from "./program.ts";

/** A new account's first code lasts a day (it may be sent by post or read out over the phone); a reset, an hour. */
const firstCodeLifetimeMs = 24 * 60 * 60_000;

/** The accounts database and the admin rules, loaded only when a users command runs (not at every start-up). */
const adminUsers = () => import("../server/admin-users.ts");

/** The same accounts `hearth serve` uses: <data>/accounts.db, or PostgreSQL when HEARTH_STORE_URL names it. */
async function withAccounts<T>(context: CommandContext, work: (accounts: AccountsStore) => Promise<T> | T): Promise<T> {
  const { openAccounts } = await import("../store/open-accounts.ts");
  const accounts = await openAccounts(context.config());
  try {
    return await work(accounts);
  } finally {
    await accounts.close();
  }
}

async function findUser(accounts: AccountsStore, email: string): Promise<UserRecord> {
  const user = await accounts.findUserByEmail(email);
  if (!user) throw new HearthError("NOT_FOUND", `no account has the email ${email.trim().toLowerCase()} (see: hearth users list)`, { subject: email });
  return user;
}

function parseRole(value: string): WorkspaceRole {
  const role = workspaceRoles.find((candidate) => candidate === value.toLowerCase());
  if (!role) throw new HearthError("INVALID_INPUT", `--role must be one of ${workspaceRoles.join(", ")}, not "${value}"`, { subject: "--role" });
  return role;
}

function codeLine(code: string, lifetimeMs: number): string {
  const hours = lifetimeMs / 3_600_000;
  return `One-time code: ${code}\n(valid ${hours} hour${hours === 1 ? "" : "s"}, once: on the sign-in page choose "I have a reset code", give the email, this code and a new password)\n`;
}

export function registerUsersCommand(program: Command, context: CommandContext): void {
  const users = program.command("users").description("manage the accounts of hearth serve (on the server machine)");

  users
    .command("list")
    .description("every account, with server admins and workspace roles")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const rows = await withAccounts(context, async (accounts) =>
        Promise.all((await accounts.listUsers()).map(async (user) => ({
          email: user.email,
          name: user.name,
          serverAdmin: user.serverAdmin,
          createdAt: user.createdAt,
          workspaces: (await accounts.listWorkspacesForUser(user.id)).map(({ workspace, role }) => ({ name: workspace.name, role })),
        }))),
      );
      if (options.json) {
        context.io.stdout.write(`${JSON.stringify({ users: rows })}\n`);
        return;
      }
      if (rows.length === 0) {
        context.io.stdout.write("No accounts yet: open the web page to set up the first admin, or run hearth users add EMAIL --name NAME.\n");
        return;
      }
      for (const row of rows) {
        const where = row.workspaces.map((workspace) => `${workspace.name} (${workspace.role})`).join(", ") || "no workspace";
        context.io.stdout.write(`${row.email}  ${row.name}${row.serverAdmin ? "  [server admin]" : ""}  ${where}\n`);
      }
    });

  users
    .command("add")
    .description("create an account and print its one-time code for setting a password")
    .argument("<email>", "the person's email")
    .requiredOption("--name <name>", "their name")
    .option("--server-admin", "make them an admin of the whole server")
    .option("--workspace <name>", "add them to this workspace")
    .option("--role <role>", `their role there: ${workspaceRoles.join(", ")}`, "viewer")
    .action(async (email: string, options: { name: string; serverAdmin?: boolean; workspace?: string; role: string }) => {
      const role = parseRole(options.role);
      const output = await withAccounts(context, async (accounts) => {
        const workspaces = await accounts.listWorkspaces();
        const workspace = options.workspace === undefined ? undefined : workspaces.find((candidate) => candidate.name === options.workspace);
        if (options.workspace !== undefined && !workspace) {
          throw new HearthError("NOT_FOUND", `no workspace is called "${options.workspace}"; workspaces: ${workspaces.map((w) => w.name).join(", ") || "none yet"}`, {
            subject: "--workspace",
          });
        }
        // A random password nobody knows: the account is usable only once its owner sets one with the code.
        const created = await accounts.createUser({ email, name: options.name, password: randomBytes(32).toString("base64url") });
        if (!created.ok) throw created.error;
        if (options.serverAdmin) await accounts.setServerAdmin(created.value.id, true);
        if (workspace) await accounts.setMember(workspace.id, created.value.id, role);
        await accounts.recordAudit({ userId: null, workspaceId: workspace?.id ?? null, action: "user-added", detail: `${created.value.email} (hearth users add)` });
        const code = await accounts.createResetCode(created.value.id, firstCodeLifetimeMs);
        const admin = (await accounts.getUser(created.value.id))?.serverAdmin ? " as a server admin" : "";
        return `Added ${created.value.email}${admin}${workspace ? ` to ${workspace.name} as ${role}` : ""}.\n${codeLine(code, firstCodeLifetimeMs)}`;
      });
      context.io.stdout.write(output);
    });

  users
    .command("reset")
    .description("print a one-time code with which the person sets a new password (signs them out everywhere)")
    .argument("<email>", "the person's email")
    .action(async (email: string) => {
      const { resetCodeLifetimeMs } = await adminUsers();
      const output = await withAccounts(context, async (accounts) => {
        const user = await findUser(accounts, email);
        const code = await accounts.createResetCode(user.id, resetCodeLifetimeMs);
        const ended = await accounts.deleteAuthSessionsForUser(user.id);
        await accounts.recordAudit({ userId: user.id, workspaceId: null, action: "reset-code", detail: `hearth users reset (${ended} sessions ended)` });
        return `Reset code for ${user.email}.\n${codeLine(code, resetCodeLifetimeMs)}`;
      });
      context.io.stdout.write(output);
    });

  users
    .command("remove")
    .description("delete an account (refused for the last server admin or a workspace's only admin)")
    .argument("<email>", "the person's email")
    .action(async (email: string) => {
      const { whyNotRemovable } = await adminUsers();
      const output = await withAccounts(context, async (accounts) => {
        const user = await findUser(accounts, email);
        const reason = await whyNotRemovable(accounts, user);
        if (reason) throw new HearthError("INVALID_INPUT", reason, { subject: email });
        await accounts.recordAudit({ userId: user.id, workspaceId: null, action: "user-removed", detail: `${user.email} (hearth users remove)` });
        await accounts.deleteUser(user.id);
        return `Removed ${user.email}.\n`;
      });
      context.io.stdout.write(output);
    });
}
