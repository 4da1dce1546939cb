/**
 * Typed errors with a stable `code`. Expected failures (parse, extract, validate) are returned as
 * `Result` values; these classes carry the file or field and keep the original `cause`.
 */
export type ErrorCode =
  | "FILE_NOT_FOUND"
  | "FILE_EMPTY"
  | "FILE_TOO_LARGE"
  | "UNSUPPORTED_FORMAT"
  | "MISLABELLED_FILE"
  | "CORRUPT_FILE"
  | "ENCRYPTED_FILE"
  | "ZIP_BOMB"
  | "EXTRACT_FAILED"
  | "NO_TEXT"
  | "TIMEOUT"
  | "CONFIG_INVALID"
  | "STORE_FAILED"
  | "NOT_FOUND"
  | "INVALID_INPUT"
  /** Language model and embedding providers (src/providers). */
  | "PROVIDER_AUTH"
  | "PROVIDER_RATE_LIMITED"
  | "PROVIDER_FAILED"
  | "PROVIDER_BAD_RESPONSE"
  | "PROVIDER_UNAVAILABLE"
  | "IMAGES_NOT_SUPPORTED";

export class HearthError extends Error {
  readonly code: ErrorCode;
  /** The file path or configuration field the error is about, when there is one. */
  readonly subject: string | undefined;

  constructor(code: ErrorCode, message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HearthError";
    this.code = code;
    this.subject = options.subject;
  }
}

export type Result<T, E = HearthError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function fail<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** A short, single-line reason for a user, from any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}
