/**
 * The rows behind a computed figure: GET .../tables/:tableId/rows?query=<json> (JSON: the filter as words, the
 * columns, the matching rows recomputed from the stored table, the figures) and .../rows.csv (a CSV download of
 * the same rows). The query is validated against the table before it runs; a bad one is a 400 naming the field.
 */
import { Hono } from "hono";
import * as z from "zod";
import { openTableRows, rowsToCsv } from "../tables/table-rows.ts";
import { attachment } from "./documents.ts";
import { HttpError, notFound } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { queryValues } from "./validate.ts";

/** Rows sent to the browser at most; the CSV download has them all. */
const maxRowsShown = 1000;

/** `query` is JSON, parsed and checked against the table by rowsFor (400 naming the field); the schema types it for clients. */
const rowsQuerySchema = z.object({ query: z.string().optional() });

export function tableRoutes(services: ServerServices) {
  const rowsFor = async (workspaceId: string, rawTableId: string, rawQuery: string | undefined) => {
    const tableId = Number(rawTableId);
    if (!Number.isInteger(tableId) || tableId <= 0) throw notFound("No such table in this workspace");
    let query: unknown;
    try {
      query = JSON.parse(rawQuery ?? "");
    } catch {
      throw new HttpError(400, "query: not JSON (the citation's table query is expected)");
    }
    const rows = await openTableRows((await services.libraries.get(workspaceId)).store, { tableId, query });
    if (!rows.ok) {
      if (rows.error.code === "NOT_FOUND") throw notFound(rows.error.message);
      throw new HttpError(400, rows.error.message);
    }
    return rows.value;
  };

  return new Hono<ServerEnv>()
  .get("/api/workspaces/:workspaceId/tables/:tableId/rows", queryValues(rowsQuerySchema), async (c) => {
    const rows = await rowsFor(c.get("workspace").id, c.req.param("tableId"), c.req.query("query"));
    return c.json({ ...rows, total: rows.rows.length, rows: rows.rows.slice(0, maxRowsShown) });
  })

  .get("/api/workspaces/:workspaceId/tables/:tableId/rows.csv", queryValues(rowsQuerySchema), async (c) => {
    const rows = await rowsFor(c.get("workspace").id, c.req.param("tableId"), c.req.query("query"));
    const name = `${rows.fileName.replace(/\.[a-z0-9]+$/i, "")} - rows.csv`;
    return c.body(rowsToCsv(rows), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment(name) });
  });
}

export type TableRoutes = ReturnType<typeof tableRoutes>;
