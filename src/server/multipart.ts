/**
 * Streams a multipart/form-data body to disk with busboy: each file in the `files` field is written as it
 * arrives, never held in memory; a file over `maxFileBytes` stops being written at the limit, is deleted and is
 * refused with its name and the limit, while the other files in the request go on.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { describeError } from "../errors/hearth-error.ts";
import { sanitiseFileName, uniqueFileName } from "./file-names.ts";
import { HttpError } from "./http-error.ts";

export type ReceivedFile = { name: string; path: string; bytes: number } | { name: string; error: string };

export interface ReceiveOptions {
  folder: string;
  fieldName: string;
  maxFileBytes: number;
  maxFiles: number;
}

const describeSize = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;

export async function receiveFiles(request: Request, options: ReceiveOptions): Promise<ReceivedFile[]> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw new HttpError(400, "Send the files as multipart/form-data in the field \"files\"");
  }
  await mkdir(options.folder, { recursive: true, mode: 0o700 });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 50, fieldSize: 64 * 1024, parts: options.maxFiles + 50 },
      defParamCharset: "utf8",
    });
  } catch (error) {
    throw new HttpError(400, `Not a valid multipart request (${describeError(error)})`, { cause: error });
  }

  const taken = new Set<string>();
  const writes: Promise<ReceivedFile>[] = [];
  let tooManyFiles = false;

  parser.on("file", (field, stream, info) => {
    if (field !== options.fieldName) {
      stream.resume();
      return;
    }
    const name = uniqueFileName(sanitiseFileName(info.filename ?? ""), taken);
    const path = join(options.folder, name);
    let bytes = 0;
    let truncated = false;
    stream.on("data", (part: Buffer) => (bytes += part.length));
    stream.on("limit", () => (truncated = true));
    writes.push(
      pipeline(stream, createWriteStream(path, { flags: "wx", mode: 0o600 })).then(
        async (): Promise<ReceivedFile> => {
          if (!truncated) return { name, path, bytes };
          await rm(path, { force: true });
          return { name, error: `${name}: the file is larger than the ${describeSize(options.maxFileBytes)} upload limit` };
        },
        async (error: unknown): Promise<ReceivedFile> => {
          stream.resume();
          await rm(path, { force: true });
          return { name, error: `${name}: could not be received (${describeError(error)})` };
        },
      ),
    );
  });
  parser.on("filesLimit", () => (tooManyFiles = true));

  const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
  try {
    await pipeline(body, parser);
  } catch (error) {
    const received = await Promise.all(writes);
    for (const file of received) if ("path" in file) await rm(file.path, { force: true });
    throw new HttpError(400, `The upload was cut off or malformed (${describeError(error)})`, { cause: error });
  }
  const received = await Promise.all(writes);
  if (tooManyFiles) received.push({ name: "(more files)", error: `Only ${options.maxFiles} files can be sent in one upload` });
  return received;
}
