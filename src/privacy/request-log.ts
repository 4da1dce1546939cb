/**
 * The request log: one JSON line per call to a model endpoint, in <dataDir>/requests.log: time, provider, model,
 * endpoint host, bytes sent and received, the last status, and how many HTTP requests the call took (retries,
 * batches). Never the content, never the key. Hearth sends nothing
 * else anywhere (no telemetry), so this file is the whole record of what left the machine.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RequestListener, RequestRecord } from "../providers/types.ts";

export const requestLogFileName = "requests.log";

export function requestLogPath(dataDir: string): string {
  return join(dataDir, requestLogFileName);
}

/** A listener that appends each record; a log that cannot be written must not stop the answer, so it warns once. */
export function createRequestLog(dataDir: string, warn: (message: string) => void = () => undefined): RequestListener {
  const path = requestLogPath(dataDir);
  let warned = false;
  return (record) => {
    try {
      mkdirSync(dataDir, { recursive: true });
      const line: RequestRecord = {
        time: record.time,
        provider: record.provider,
        model: record.model,
        host: record.host,
        local: record.local,
        kind: record.kind,
        bytesSent: record.bytesSent,
        bytesReceived: record.bytesReceived,
        status: record.status,
        outcome: record.outcome,
        durationMs: record.durationMs,
        requests: record.requests,
      };
      appendFileSync(path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (error) {
      if (!warned) warn(`could not write the request log ${path}: ${error instanceof Error ? error.message : String(error)}`);
      warned = true;
    }
  };
}

export function readRequestLog(dataDir: string): RequestRecord[] {
  const path = requestLogPath(dataDir);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as RequestRecord);
}
