/**
 * Request validation as route middleware, shared by every route group: a JSON body or query parsed with a zod
 * schema before the handler runs (400 naming the field), and typed for the handler (`c.req.valid("json")`) and for
 * the web app's `hc` client, which is generated from the routes' types.
 */
import type { MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { HttpError } from "./http-error.ts";
import type { ServerEnv } from "./server-types.ts";

function parsedOr400<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new HttpError(400, `${field}${issue?.message ?? "invalid request"}`, { cause: parsed.error });
}

/**
 * A JSON body validated with a zod schema (a body that is not JSON: Hono's own 400, answered as {error}). The value
 * is declared as the schema's input type so that clients are typed by what they may send (a field with a default may
 * be left out), and handlers by what the schema hands on.
 */
export function jsonBody<Schema extends z.ZodType>(schema: Schema): MiddlewareHandler<ServerEnv, string, { in: { json: z.input<Schema> }; out: { json: z.output<Schema> } }> {
  // Hono's validator would declare the output type as the input too; this states both (the cast only names them).
  return validator("json", (value: unknown): z.output<Schema> => parsedOr400(schema, value)) as MiddlewareHandler<
    ServerEnv,
    string,
    { in: { json: z.input<Schema> }; out: { json: z.output<Schema> } }
  >;
}

/** The query string validated with a zod schema (a name given once is a string, given more often an array). */
export const queryValues = <Schema extends z.ZodType>(schema: Schema) =>
  validator("query", (value: unknown): z.output<Schema> => parsedOr400(schema, value));
