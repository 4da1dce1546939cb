/**
 * Request validation as route middleware, shared by every route group: a JSON body or query parsed with a zod
 * schema before the handler runs (400 naming the field), and typed for the handler (`c.req.valid("json")`) and for
 * the web app's `hc` client, which is generated from the routes' types.
 */
import { validator } from "hono/validator";
import type { z } from "zod";
import { HttpError } from "./http-error.ts";

function parsedOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new HttpError(400, `${field}${issue?.message ?? "invalid request"}`, { cause: parsed.error });
}

/** A JSON body validated with a zod schema (a body that is not JSON: Hono's own 400, answered as {error}). */
export const jsonBody = <T>(schema: z.ZodType<T>) => validator("json", (value: unknown): T => parsedOr400(schema, value));

/** The query string validated with a zod schema (a name given once is a string, given more often an array). */
export const queryValues = <T>(schema: z.ZodType<T>) => validator("query", (value: unknown): T => parsedOr400(schema, value));
