/**
 * The audit log (admins): GET .../audit as JSON, newest first, and GET .../audit.csv for a spreadsheet. It holds
 * sign-ins, failed sign-ins, lockouts and sign-outs of the workspace's members, uploads, deletions, questions,
 * drafts, exports, downloads, page views, settings, membership changes and refused (403) requests.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { allow } from "./authorise.ts";
import { audit } from "./auth.ts";
import { attachment } from "./documents.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, return) is prefixed with ' (CSV injection). */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: every field quoted, quotes doubled, CRLF between records. */
function csvRecord(fields: string[]): string {
  return fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(",");
}

export function auditRoutes(services: ServerServices) {
  const events = async (c: Context<ServerEnv>, fallback: number) => {
    const requested = Number(c.req.query("limit") ?? fallback);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100_000) : fallback;
    return (await services.accounts.listAudit(c.get("workspace").id, limit)).map((event) => ({
      time: event.time,
      user: event.user,
      action: event.action,
      detail: event.detail,
    }));
  };

  return new Hono<ServerEnv>()
  .get("/api/workspaces/:workspaceId/audit", allow("admin"), async (c) => c.json({ events: await events(c, 500) }))

  .get("/api/workspaces/:workspaceId/audit.csv", allow("admin"), async (c) => {
    const rows = (await events(c, 100_000)).map((event) => [event.time, event.user, event.action, event.detail].map(spreadsheetSafe));
    const csv = `${[["time", "user", "action", "detail"], ...rows].map(csvRecord).join("\r\n")}\r\n`;
    await audit(c, services, "export", `audit log (${rows.length} events)`);
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment("hearth-audit.csv") });
  });
}

export type AuditRoutes = ReturnType<typeof auditRoutes>;
