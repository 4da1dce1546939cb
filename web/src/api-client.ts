/**
 * Typed calls to the Hearth API. The session is an httpOnly cookie; every state-changing request carries the CSRF
 * token from GET /api/me. Server-Sent Events are read from fetch streams (POST /ask cannot use EventSource).
 */
import { createParser } from "eventsource-parser";
import { hc } from "hono/client";
import type { SettingsRoutes } from "../../src/server/settings.ts";
import type {
  TableRows,
  Answer,
  AuditEvent,
  AuthorityComparison,
  DocumentUnits,
  AuthorityKind,
  DoneEvent,
  Invitation,
  LibraryDocument,
  Member,
  ProgressEvent,
  Role,
  Session,
  SessionSummary,
  TemplateSummary,
  UploadAccepted,
  User,
  Workspace,
} from "./api-types.ts";

/** A refusal from the server, with its message and HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

let csrfToken = "";

/** Remembers the CSRF token handed out by /api/me (or cleared on sign-out). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let message = `The server answered HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string" && body.error) message = body.error;
  } catch {
    // The body was not JSON (a proxy page, say); the status line says enough.
  }
  return new ApiError(response.status, message);
}

function headersFor(method: string, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (json) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["x-csrf-token"] = csrfToken;
  return headers;
}

async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const isForm = body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: headersFor(method, body !== undefined && !isForm),
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Could not reach the Hearth server; check that it is running");
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (await response.json()) as T;
}

async function nothing(method: string, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

/** Reads an SSE response body and hands each event to `onEvent` until the stream ends. */
export async function readEvents(response: Response, onEvent: (event: string, data: unknown) => void): Promise<void> {
  if (!response.body) throw new ApiError(response.status, "The server sent no event stream");
  const parser = createParser({
    onEvent(message) {
      let data: unknown = message.data;
      try {
        data = JSON.parse(message.data);
      } catch {
        // Plain text data is passed on as it is.
      }
      onEvent(message.event ?? "message", data);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
}

/**
 * Clients generated from the server's typed route groups (Hono `hc`): their paths, bodies and replies come from the
 * server's code, so a mismatch (a profile field the server does not take) fails to compile. Every call sends the
 * CSRF token; a refusal becomes an ApiError as for the hand-written calls below.
 */
const typedClientOptions = {
  headers: (): Record<string, string> => (csrfToken ? { "x-csrf-token": csrfToken } : {}),
  init: { credentials: "same-origin" as const },
};
const settingsClient = hc<SettingsRoutes>("/", typedClientOptions);

async function typed<T>(call: Promise<{ ok: boolean; json(): Promise<T> } & Response>): Promise<T> {
  let response: Response & { json(): Promise<T> };
  try {
    response = await call;
  } catch {
    throw new ApiError(0, "Could not reach the Hearth server; check that it is running");
  }
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

const workspacePath = (workspaceId: string): string => `/api/workspaces/${encodeURIComponent(workspaceId)}`;

/** What PUT .../settings takes, from the server's route. */
export type SettingsUpdate = Parameters<(typeof settingsClient.api.workspaces)[":workspaceId"]["settings"]["$put"]>[0]["json"];

export interface AskHandlers {
  /** `checking`: the piece is the model's draft, not yet checked against the library. */
  onToken(text: string, checking: boolean): void;
  onAnswer(answer: Answer): void;
  onError(message: string): void;
}

export interface UploadHandlers {
  onProgress(event: ProgressEvent): void;
  onDone(event: DoneEvent): void;
}

export const api = {
  health: () => json<{ ok: boolean; version: string; maxUploadBytes: number }>("GET", "/api/health"),
  setupNeeded: () => json<{ needsSetup: boolean }>("GET", "/api/setup"),
  setup: (body: { name: string; email: string; password: string; workspaceName: string }) =>
    json<{ user: User; workspace: Workspace }>("POST", "/api/setup", body),
  login: (email: string, password: string) => json<{ user: User }>("POST", "/api/auth/login", { email, password }),
  logout: () => nothing("POST", "/api/auth/logout"),
  logoutEverywhere: () => nothing("POST", "/api/auth/logout-everywhere"),
  /** Sets a new password with a one-time code from `hearth users reset EMAIL`, and signs in. */
  resetPassword: (body: { email: string; code: string; password: string }) => json<{ user: User }>("POST", "/api/auth/reset", body),
  changePassword: (body: { currentPassword: string; newPassword: string }) => nothing("POST", "/api/me/password", body),
  deleteAccount: (password: string) => nothing("DELETE", "/api/me", { password }),
  /** The signed-in user, or undefined when nobody is signed in. */
  async me(): Promise<{ user: User; csrfToken: string; canCreateWorkspaces: boolean } | undefined> {
    try {
      return await json<{ user: User; csrfToken: string; canCreateWorkspaces: boolean }>("GET", "/api/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  },

  workspaces: () => json<{ workspaces: Workspace[] }>("GET", "/api/workspaces"),
  createWorkspace: (name: string) => json<{ workspace: Workspace }>("POST", "/api/workspaces", { name }),

  members: (workspaceId: string) => json<{ members: Member[]; invitations: Invitation[] }>("GET", `${workspacePath(workspaceId)}/members`),
  invite: (workspaceId: string, body: { email: string; role: Role }) =>
    json<{ invitation: Invitation; link: string }>("POST", `${workspacePath(workspaceId)}/invitations`, body),
  withdrawInvitation: (workspaceId: string, invitationId: string) =>
    nothing("DELETE", `${workspacePath(workspaceId)}/invitations/${encodeURIComponent(invitationId)}`),
  myInvitations: () => json<{ invitations: Invitation[] }>("GET", "/api/invitations"),
  acceptInvitation: (invitationId: string) => json<{ workspace: Workspace }>("POST", `/api/invitations/${encodeURIComponent(invitationId)}/accept`),
  declineInvitation: (invitationId: string) => nothing("POST", `/api/invitations/${encodeURIComponent(invitationId)}/decline`),
  lookupInvitation: (token: string) => json<{ invitation: Invitation; hasAccount: boolean }>("POST", "/api/invitations/lookup", { token }),
  signUpWithInvitation: (body: { token: string; name: string; password: string }) =>
    json<{ user: User; workspace: Workspace }>("POST", "/api/invitations/sign-up", body),
  addMember: (workspaceId: string, body: { email: string; name?: string; role: Role; password?: string }) =>
    json<{ member: Member }>("POST", `${workspacePath(workspaceId)}/members`, body),
  setMemberRole: (workspaceId: string, userId: string, role: Role) =>
    json<{ member: Member }>("PATCH", `${workspacePath(workspaceId)}/members/${encodeURIComponent(userId)}`, { role }),
  removeMember: (workspaceId: string, userId: string) =>
    nothing("DELETE", `${workspacePath(workspaceId)}/members/${encodeURIComponent(userId)}`),

  documents: (workspaceId: string) => json<{ documents: LibraryDocument[]; authorityKinds: AuthorityKind[] }>("GET", `${workspacePath(workspaceId)}/documents`),
  /** Tags a document's source authority; `date` is a year or a period ("2011-2015"), empty to keep the current one. */
  setAuthority: (workspaceId: string, documentId: number, body: { authority: string; date?: string }) =>
    json<{ authority: string; label: string }>("PUT", `${workspacePath(workspaceId)}/documents/${documentId}/authority`, body),
  removeDocument: (workspaceId: string, documentId: number) => nothing("DELETE", `${workspacePath(workspaceId)}/documents/${documentId}`),
  reingest: (workspaceId: string, documentId: number) =>
    json<{ uploadId: string }>("POST", `${workspacePath(workspaceId)}/documents/${documentId}/reingest`),
  /** The rows behind a computed figure, recomputed by the server from the stored table. */
  tableRows: (workspaceId: string, tableId: number, query: Record<string, unknown>) =>
    json<TableRows>("GET", `${workspacePath(workspaceId)}/tables/${tableId}/rows?query=${encodeURIComponent(JSON.stringify(query))}`),
  tableRowsCsvUrl: (workspaceId: string, tableId: number, query: Record<string, unknown>) =>
    `${workspacePath(workspaceId)}/tables/${tableId}/rows.csv?query=${encodeURIComponent(JSON.stringify(query))}`,
  units: (workspaceId: string, documentId: number) => json<DocumentUnits>("GET", `${workspacePath(workspaceId)}/documents/${documentId}/units`),
  pageImageUrl: (workspaceId: string, documentId: number, page: number, highlight: string): string =>
    `${workspacePath(workspaceId)}/documents/${documentId}/pages/${page}/image?highlight=${encodeURIComponent(highlight)}`,
  originalFileUrl: (workspaceId: string, documentId: number): string => `${workspacePath(workspaceId)}/documents/${documentId}/file`,

  upload(workspaceId: string, files: File[]): Promise<UploadAccepted> {
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    return json<UploadAccepted>("POST", `${workspacePath(workspaceId)}/uploads`, form);
  },
  /** Follows an upload's progress until its `done` event (earlier events are replayed by the server). */
  async followUpload(workspaceId: string, uploadId: string, handlers: UploadHandlers, signal?: AbortSignal): Promise<void> {
    const response = await send("GET", `${workspacePath(workspaceId)}/uploads/${encodeURIComponent(uploadId)}/events`, undefined, signal);
    await readEvents(response, (event, data) => {
      if (event === "progress") handlers.onProgress(data as ProgressEvent);
      else if (event === "done") handlers.onDone(data as DoneEvent);
    });
  },

  /** Asks a question; the answer text arrives in pieces, then the whole answer with its citations. */
  async ask(
    workspaceId: string,
    question: string,
    session: string | undefined,
    handlers: AskHandlers,
    signal?: AbortSignal,
    history: { question: string; answer: string }[] = [],
  ): Promise<void> {
    const body = { question, ...(session ? { session } : {}), ...(history.length > 0 ? { history } : {}) };
    const response = await send("POST", `${workspacePath(workspaceId)}/ask`, body, signal);
    let finished = false;
    await readEvents(response, (event, data) => {
      if (event === "token") handlers.onToken((data as { text: string }).text, (data as { checking?: boolean }).checking === true);
      else if (event === "answer") {
        finished = true;
        handlers.onAnswer(data as Answer);
      } else if (event === "error") {
        finished = true;
        handlers.onError((data as { error: string }).error);
      }
    });
    if (!finished) handlers.onError("The answer stopped before it was complete; ask again");
  },

  sessions: (workspaceId: string) => json<{ sessions: SessionSummary[] }>("GET", `${workspacePath(workspaceId)}/sessions`),
  session: (workspaceId: string, name: string) => json<Session>("GET", `${workspacePath(workspaceId)}/sessions/${encodeURIComponent(name)}`),
  sessionExportUrl: (workspaceId: string, name: string, format: "md" | "docx" | "pdf"): string =>
    `${workspacePath(workspaceId)}/sessions/${encodeURIComponent(name)}/export?format=${format}`,

  settings: (workspaceId: string) => typed(settingsClient.api.workspaces[":workspaceId"].settings.$get({ param: { workspaceId } })),
  saveSettings: (workspaceId: string, body: SettingsUpdate) =>
    typed(settingsClient.api.workspaces[":workspaceId"].settings.$put({ param: { workspaceId }, json: body })),
  testProvider: (workspaceId: string) =>
    typed(settingsClient.api.workspaces[":workspaceId"].settings["test-provider"].$post({ param: { workspaceId } })),

  audit: (workspaceId: string) => json<{ events: AuditEvent[] }>("GET", `${workspacePath(workspaceId)}/audit`),
  auditCsvUrl: (workspaceId: string): string => `${workspacePath(workspaceId)}/audit.csv`,

  templates: (workspaceId: string) => json<{ templates: TemplateSummary[] }>("GET", `${workspacePath(workspaceId)}/templates`),
  /** Drafts from a template; with a session name the draft is kept in that session (and exports with it). */
  draft: (
    workspaceId: string,
    body: {
      template: string;
      la?: string;
      about?: string;
      session?: string;
      useModel?: boolean;
      options?: { ageRange?: string; beds?: string; specialism?: string };
    },
  ) =>
    json<{ draft: Answer }>("POST", `${workspacePath(workspaceId)}/drafts`, body),
  authorities: (workspaceId: string) => json<AuthorityComparison>("GET", `${workspacePath(workspaceId)}/authorities`),
  authoritiesDownloadUrl: (workspaceId: string, format: "csv" | "md"): string => `${workspacePath(workspaceId)}/authorities/compare.${format}`,
};
