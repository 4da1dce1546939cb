/** Errors a route throws to answer with a status and `{error}`; the app's error handler turns them into JSON. */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HearthError } from "../errors/hearth-error.ts";

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

export const notSignedIn = (): HttpError => new HttpError(401, "Sign in first");
export const forbidden = (message = "Your role in this workspace does not allow that"): HttpError => new HttpError(403, message);
export const notFound = (what = "Not found"): HttpError => new HttpError(404, what);

/** A HearthError from the core, as an HTTP status. */
export function statusForHearthError(error: HearthError): ContentfulStatusCode {
  if (error.code === "INVALID_INPUT") return 400;
  if (error.code === "NOT_FOUND" || error.code === "FILE_NOT_FOUND") return 404;
  return 500;
}
