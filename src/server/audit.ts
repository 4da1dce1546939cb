/** GET .../audit (admins): sign-ins of the workspace's members, uploads, deletions and questions, newest first. */
import type { Hono } from "hono";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { requireRole } from "./workspaces.ts";

export function registerAuditRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  app.get("/api/workspaces/:workspaceId/audit", (c) => {
    requireRole(c, "admin");
    const requested = Number(c.req.query("limit") ?? 500);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 5000) : 500;
    const events = services.accounts.listAudit(c.get("workspace").id, limit).map((event) => ({
      time: event.time,
      user: event.user,
      action: event.action,
      detail: event.detail,
    }));
    return c.json({ events });
  });
}
