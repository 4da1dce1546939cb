/** Working sessions of a workspace: list, read, and export as md, docx or pdf through the report renderer. */
import { Hono } from "hono";
import * as z from "zod";
import { parseReportFormat, renderReport } from "../report/report.ts";
import { attachment } from "./documents.ts";
import { audit } from "./auth.ts";
import { HttpError, notFound } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { queryValues } from "./validate.ts";

const contentTypes = {
  md: "text/markdown; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

/** The format is checked by the report renderer (its message names the formats); the schema types it for clients. */
const exportQuerySchema = z.object({ format: z.string().optional() });

export function sessionRoutes(services: ServerServices) {
  const { libraries } = services;

  return new Hono<ServerEnv>()
  .get("/api/workspaces/:workspaceId/sessions", async (c) => {
    return c.json({ sessions: await (await libraries.get(c.get("workspace").id)).store.sessions.list() });
  })

  .get("/api/workspaces/:workspaceId/sessions/:name", async (c) => {
    const session = await (await libraries.get(c.get("workspace").id)).store.sessions.get(c.req.param("name"));
    if (!session) throw notFound("No such session in this workspace");
    return c.json(session);
  })

  .get("/api/workspaces/:workspaceId/sessions/:name/export", queryValues(exportQuerySchema), async (c) => {
    const session = await (await libraries.get(c.get("workspace").id)).store.sessions.get(c.req.param("name"));
    if (!session) throw notFound("No such session in this workspace");
    const format = parseReportFormat(c.req.query("format") ?? "md");
    if (!format.ok) throw new HttpError(400, format.error.message, { cause: format.error });
    const bytes = await renderReport(session, format.value);
    await audit(c, services, "export", `session "${session.name}" as ${format.value}`);
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": contentTypes[format.value],
      "Content-Disposition": attachment(`${session.name}.${format.value}`),
    });
  });
}

export type SessionRoutes = ReturnType<typeof sessionRoutes>;
