/**
 * For the server's tests (and the web UI's): a real server on 127.0.0.1:0 in a temporary data folder, and a
 * small API client that keeps the session cookie and sends the CSRF token, as the browser page does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createParser } from "eventsource-parser";
import { loadConfig } from "../config/config.ts";
import type { HearthConfig } from "../config/config.ts";
import type { RunningServer } from "./start-server.ts";
import { startServer } from "./start-server.ts";

export interface TestServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  config: HearthConfig;
  close(): Promise<void>;
}

export async function startTestServer(
  adjust: (config: HearthConfig) => HearthConfig = (config) => config,
  options: { webRoot?: string } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-server-"));
  const loaded = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir, host: "127.0.0.1", port: 0 });
  if (!loaded.ok) throw loaded.error;
  const config = adjust(loaded.value);
  const server = await startServer({ config, ...options });
  return {
    server,
    url: server.url,
    dataDir,
    config,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Reads a whole SSE response into its events (data parsed as JSON). */
export async function readEvents(response: Response): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  const parser = createParser({
    onEvent: (message) => events.push({ event: message.event ?? "message", data: JSON.parse(message.data) as unknown }),
  });
  const decoder = new TextDecoder();
  if (!response.body) return events;
  for await (const part of response.body) parser.feed(decoder.decode(part as Uint8Array, { stream: true }));
  return events;
}

export interface RequestOptions {
  json?: unknown;
  body?: RequestInit["body"];
  headers?: Record<string, string>;
  /** Send the CSRF token (default true). */
  csrf?: boolean;
}

export class ApiClient {
  readonly baseUrl: string;
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.csrf !== false && this.csrfToken) headers["x-csrf-token"] = this.csrfToken;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const init: RequestInit & { duplex?: "half" } = { method, headers, body, redirect: "manual" };
    if (body instanceof ReadableStream) init.duplex = "half";
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) {
      const [pair] = setCookie.split(";");
      this.cookie = pair && !pair.endsWith("=") ? pair : undefined;
    }
    return response;
  }

  /** The status and parsed JSON body (undefined for an empty body). */
  async call<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async refreshCsrf(): Promise<void> {
    const me = await this.call<{ csrfToken: string }>("GET", "/api/me");
    if (me.status !== 200) throw new Error(`GET /api/me answered ${me.status}`);
    this.csrfToken = me.body.csrfToken;
  }

  async setup(details: { name: string; email: string; password: string; workspaceName: string }): Promise<{ workspaceId: string; userId: string }> {
    const result = await this.call<{ user: { id: string }; workspace: { id: string } }>("POST", "/api/setup", { json: details });
    if (result.status !== 201) throw new Error(`setup answered ${result.status}: ${JSON.stringify(result.body)}`);
    await this.refreshCsrf();
    return { workspaceId: result.body.workspace.id, userId: result.body.user.id };
  }

  async signIn(email: string, password: string): Promise<number> {
    const result = await this.call("POST", "/api/auth/login", { json: { email, password } });
    if (result.status === 200) await this.refreshCsrf();
    return result.status;
  }

  /** Uploads files (name → bytes) as multipart/form-data in the field "files". */
  async upload(workspaceId: string, files: { name: string; bytes: Uint8Array | Blob }[]): Promise<{ status: number; body: UploadReply }> {
    const form = new FormData();
    for (const file of files) {
      const blob = file.bytes instanceof Blob ? file.bytes : new Blob([file.bytes as Uint8Array<ArrayBuffer>]);
      form.append("files", blob, file.name);
    }
    return this.call<UploadReply>("POST", `/api/workspaces/${workspaceId}/uploads`, { body: form });
  }

  /** Uploads, then follows the upload's events to `done`. */
  async uploadAndWait(workspaceId: string, files: { name: string; bytes: Uint8Array | Blob }[]): Promise<{ reply: UploadReply; events: ServerSentEvent[] }> {
    const { status, body } = await this.upload(workspaceId, files);
    if (status !== 202) throw new Error(`upload answered ${status}: ${JSON.stringify(body)}`);
    const response = await this.request("GET", `/api/workspaces/${workspaceId}/uploads/${body.uploadId}/events`);
    return { reply: body, events: await readEvents(response) };
  }
}

export interface UploadReply {
  uploadId: string;
  files: { name: string; status: "queued" | "refused"; error?: string }[];
  error?: string;
}

export const testPassword = "a long test password";

export interface ServerWithAdmin {
  server: TestServer;
  /** Signed in as the first admin, Ann (ann@example.org, `testPassword`). */
  admin: ApiClient;
  /** The workspace set up with her. */
  workspaceId: string;
}

/** A test server (see `startTestServer`) set up as a new installation is: its first admin and her first workspace. */
export async function startServerWithAdmin(
  adjust?: (config: HearthConfig) => HearthConfig,
  { workspaceName = "Homes", webRoot }: { workspaceName?: string; webRoot?: string } = {},
): Promise<ServerWithAdmin> {
  const server = await startTestServer(adjust, webRoot === undefined ? {} : { webRoot });
  const admin = new ApiClient(server.url);
  try {
    const { workspaceId } = await admin.setup({ name: "Ann", email: "ann@example.org", password: testPassword, workspaceName });
    return { server, admin, workspaceId };
  } catch (error) {
    await server.close();
    throw error;
  }
}
