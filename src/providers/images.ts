/** Photos attached to a question: read, checked to be an image a model accepts, base64-encoded. */
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { ImageAttachment } from "./types.ts";

export const maxImageBytes = 20 * 1024 * 1024;

/** The media type from the file's first bytes (not its name: a .jpg may be a PNG). */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return "image/gif";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) {
    return "image/webp";
  }
  return null;
}

export function loadImage(path: string): Result<ImageAttachment> {
  let bytes: Buffer;
  try {
    if (statSync(path).size > maxImageBytes) {
      return fail(new HearthError("FILE_TOO_LARGE", `${path}: photos larger than 20 MB cannot be attached`, { subject: path }));
    }
    bytes = readFileSync(path);
  } catch (error) {
    return fail(new HearthError("FILE_NOT_FOUND", `${path}: cannot read the photo (${describeError(error)})`, { subject: path, cause: error }));
  }
  const mediaType = sniffImageType(bytes);
  if (!mediaType) {
    return fail(new HearthError("UNSUPPORTED_FORMAT", `${path}: not a JPEG, PNG, GIF or WebP image`, { subject: path }));
  }
  return ok({ mediaType, data: bytes.toString("base64"), name: basename(path) });
}
