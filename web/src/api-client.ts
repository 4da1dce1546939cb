/**
 * Typed calls to the Hearth API. The session is an httpOnly cookie; every state-changing request carries the CSRF
 * token from GET /api/me. Server-Sent Events are read from fetch streams (POST /ask cannot use EventSource).
 */
import { createParser } from "eventsource-parser";
import { hc } from "hono/client";
import type { AskRoutes } from "../../src/server/ask.ts";
import type { AuditRoutes } from "../../src/server/audit.ts";
import type { PrivateAuthRoutes, PublicAuthRoutes } from "../../src/server/auth.ts";
import type { HealthRoutes } from "../../src/server/create-app.ts";
import type { DocumentRoutes } from "../../src/server/documents.ts";
import type { SessionRoutes } from "../../src/server/sessions.ts";
import type { SettingsRoutes } from "../../src/server/settings.ts";
import type { TableRoutes } from "../../src/server/table-rows.ts";
import type { ToolkitRoutes } from "../../src/server/toolkit.ts";
import type { UploadRoutes } from "../../src/server/uploads.ts";
import type { InvitationRoutes, PublicInvitationRoutes, WorkspaceRoutes } from "../../src/server/workspaces.ts";
import type { Answer, AskEvents, DoneEvent, ProgressEvent } from "./api-types.ts";

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
 * Clients generated from the server's typed route groups (Hono `hc`): their paths, parameters, bodies and replies
 * come from the server's code, so a call the server does not accept (a wrong field, a missing parameter) fails to
 * compile. Every call sends the CSRF token; a refusal becomes an ApiError.
 */
const clientOptions = {
  headers: (): Record<string, string> => ({ accept: "application/json", ...(csrfToken ? { "x-csrf-token": csrfToken } : {}) }),
  init: { credentials: "same-origin" as const },
};
const health = hc<HealthRoutes>("/", clientOptions).api;
const publicAuth = hc<PublicAuthRoutes>("/", clientOptions).api;
const privateAuth = hc<PrivateAuthRoutes>("/", clientOptions).api;
const publicInvitations = hc<PublicInvitationRoutes>("/", clientOptions).api.invitations;
const invitations = hc<InvitationRoutes>("/", clientOptions).api.invitations;
const workspaces = hc<WorkspaceRoutes>("/", clientOptions).api.workspaces;
const documents = hc<DocumentRoutes>("/", clientOptions).api.workspaces[":workspaceId"].documents;
const uploads = hc<UploadRoutes>("/", clientOptions).api.workspaces[":workspaceId"];
const asking = hc<AskRoutes>("/", clientOptions).api.workspaces[":workspaceId"].ask;
const sessions = hc<SessionRoutes>("/", clientOptions).api.workspaces[":workspaceId"].sessions;
const settings = hc<SettingsRoutes>("/", clientOptions).api.workspaces[":workspaceId"].settings;
const auditLog = hc<AuditRoutes>("/", clientOptions).api.workspaces[":workspaceId"];
const toolkit = hc<ToolkitRoutes>("/", clientOptions).api.workspaces[":workspaceId"];
const tables = hc<TableRoutes>("/", clientOptions).api.workspaces[":workspaceId"].tables;

/** Sends a typed call: the response when it succeeded, else an ApiError (0 when the server cannot be reached). */
async function sent<R extends Response>(call: Promise<R>): Promise<R> {
  let response: R;
  try {
    response = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Could not reach the Hearth server; check that it is running");
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** A typed call's JSON reply, typed by the route. */
async function typed<T>(call: Promise<Response & { json(): Promise<T> }>): Promise<T> {
  return (await sent(call)).json();
}

/** A typed call whose reply has no body (204). */
async function done(call: Promise<Response>): Promise<void> {
  await sent(call);
}

/**
 * Path parameters are put into the URL as given: free text (session names, ids from the server) is encoded here,
 * as the server decodes it.
 */
const inWorkspace = (workspaceId: string): { workspaceId: string } => ({ workspaceId: encodeURIComponent(workspaceId) });
const ofDocument = (workspaceId: string, documentId: number) => ({ ...inWorkspace(workspaceId), documentId: String(documentId) });

/** What PUT .../settings takes, from the server's route. */
export type SettingsUpdate = Parameters<(typeof settings)["$put"]>[0]["json"];
/** What POST .../drafts takes, from the server's route. */
export type DraftRequest = Parameters<(typeof toolkit)["drafts"]["$post"]>[0]["json"];

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
  health: () => typed(health.health.$get()),
  setupNeeded: () => typed(publicAuth.setup.$get()),
  setup: (body: Parameters<typeof publicAuth.setup.$post>[0]["json"]) => typed(publicAuth.setup.$post({ json: body })),
  login: (email: string, password: string) => typed(publicAuth.auth.login.$post({ json: { email, password } })),
  logout: () => done(privateAuth.auth.logout.$post()),
  logoutEverywhere: () => done(privateAuth.auth["logout-everywhere"].$post()),
  /** Sets a new password with a one-time code from `hearth users reset EMAIL`, and signs in. */
  resetPassword: (body: Parameters<typeof publicAuth.auth.reset.$post>[0]["json"]) => typed(publicAuth.auth.reset.$post({ json: body })),
  changePassword: (body: Parameters<typeof privateAuth.me.password.$post>[0]["json"]) => done(privateAuth.me.password.$post({ json: body })),
  deleteAccount: (password: string) => done(privateAuth.me.$delete({ json: { password } })),
  /** The signed-in user, or undefined when nobody is signed in. */
  async me() {
    try {
      return await typed(privateAuth.me.$get());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  },

  workspaces: () => typed(workspaces.$get()),
  createWorkspace: (name: string) => typed(workspaces.$post({ json: { name } })),

  members: (workspaceId: string) => typed(workspaces[":workspaceId"].members.$get({ param: inWorkspace(workspaceId) })),
  invite: (workspaceId: string, body: Parameters<(typeof workspaces)[":workspaceId"]["invitations"]["$post"]>[0]["json"]) =>
    typed(workspaces[":workspaceId"].invitations.$post({ param: inWorkspace(workspaceId), json: body })),
  withdrawInvitation: (workspaceId: string, invitationId: string) =>
    done(workspaces[":workspaceId"].invitations[":invitationId"].$delete({ param: { ...inWorkspace(workspaceId), invitationId: encodeURIComponent(invitationId) } })),
  myInvitations: () => typed(invitations.$get()),
  acceptInvitation: (invitationId: string) => typed(invitations[":invitationId"].accept.$post({ param: { invitationId: encodeURIComponent(invitationId) } })),
  declineInvitation: (invitationId: string) => done(invitations[":invitationId"].decline.$post({ param: { invitationId: encodeURIComponent(invitationId) } })),
  lookupInvitation: (token: string) => typed(publicInvitations.lookup.$post({ json: { token } })),
  signUpWithInvitation: (body: Parameters<typeof publicInvitations["sign-up"]["$post"]>[0]["json"]) => typed(publicInvitations["sign-up"].$post({ json: body })),
  addMember: (workspaceId: string, body: Parameters<(typeof workspaces)[":workspaceId"]["members"]["$post"]>[0]["json"]) =>
    typed(workspaces[":workspaceId"].members.$post({ param: inWorkspace(workspaceId), json: body })),
  setMemberRole: (workspaceId: string, userId: string, role: Parameters<(typeof workspaces)[":workspaceId"]["members"][":userId"]["$patch"]>[0]["json"]["role"]) =>
    typed(workspaces[":workspaceId"].members[":userId"].$patch({ param: { ...inWorkspace(workspaceId), userId: encodeURIComponent(userId) }, json: { role } })),
  removeMember: (workspaceId: string, userId: string) =>
    done(workspaces[":workspaceId"].members[":userId"].$delete({ param: { ...inWorkspace(workspaceId), userId: encodeURIComponent(userId) } })),

  documents: (workspaceId: string) => typed(documents.$get({ param: inWorkspace(workspaceId) })),
  /** Tags a document's source authority; `date` is a year or a period ("2011-2015"), empty to keep the current one. */
  setAuthority: (workspaceId: string, documentId: number, body: Parameters<(typeof toolkit)["documents"][":documentId"]["authority"]["$put"]>[0]["json"]) =>
    typed(toolkit.documents[":documentId"].authority.$put({ param: ofDocument(workspaceId, documentId), json: body })),
  removeDocument: (workspaceId: string, documentId: number) => done(documents[":documentId"].$delete({ param: ofDocument(workspaceId, documentId) })),
  reingest: (workspaceId: string, documentId: number) => typed(uploads.documents[":documentId"].reingest.$post({ param: ofDocument(workspaceId, documentId) })),
  /** The rows behind a computed figure, recomputed by the server from the stored table. */
  tableRows: (workspaceId: string, tableId: number, query: Record<string, unknown>) =>
    typed(tables[":tableId"].rows.$get({ param: { ...inWorkspace(workspaceId), tableId: String(tableId) }, query: { query: JSON.stringify(query) } })),
  tableRowsCsvUrl: (workspaceId: string, tableId: number, query: Record<string, unknown>): string =>
    tables[":tableId"]["rows.csv"].$path({ param: { ...inWorkspace(workspaceId), tableId: String(tableId) }, query: { query: JSON.stringify(query) } }),
  units: (workspaceId: string, documentId: number) => typed(documents[":documentId"].units.$get({ param: ofDocument(workspaceId, documentId) })),
  pageImageUrl: (workspaceId: string, documentId: number, page: number, highlight: string): string =>
    `${documents[":documentId"].pages[":page"].image.$path({ param: { ...ofDocument(workspaceId, documentId), page: String(page) } })}?highlight=${encodeURIComponent(highlight)}`,
  originalFileUrl: (workspaceId: string, documentId: number): string => documents[":documentId"].file.$path({ param: ofDocument(workspaceId, documentId) }),

  /**
   * Sends files as multipart. The route streams the body to disk rather than declaring a form (which would buffer
   * it), so the files go as the request's body; the path and the reply are still the route's.
   */
  upload(workspaceId: string, files: File[]) {
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    return typed(uploads.uploads.$post({ param: inWorkspace(workspaceId) }, { init: { body: form } }));
  },
  /** Follows an upload's progress until its `done` event (earlier events are replayed by the server). */
  async followUpload(workspaceId: string, uploadId: string, handlers: UploadHandlers, signal?: AbortSignal): Promise<void> {
    const response = await sent(
      uploads.uploads[":uploadId"].events.$get({ param: { ...inWorkspace(workspaceId), uploadId: encodeURIComponent(uploadId) } }, { init: { signal: signal ?? null } }),
    );
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
    const response = await sent(asking.$post({ param: inWorkspace(workspaceId), json: body }, { init: { signal: signal ?? null } }));
    let finished = false;
    await readEvents(response, (event, data) => {
      if (event === "token") {
        const token = data as AskEvents["token"];
        handlers.onToken(token.text, token.checking === true);
      } else if (event === "answer") {
        finished = true;
        handlers.onAnswer(data as AskEvents["answer"]);
      } else if (event === "error") {
        finished = true;
        handlers.onError((data as AskEvents["error"]).error);
      }
    });
    if (!finished) handlers.onError("The answer stopped before it was complete; ask again");
  },

  sessions: (workspaceId: string) => typed(sessions.$get({ param: inWorkspace(workspaceId) })),
  session: (workspaceId: string, name: string) => typed(sessions[":name"].$get({ param: { ...inWorkspace(workspaceId), name: encodeURIComponent(name) } })),
  sessionExportUrl: (workspaceId: string, name: string, format: "md" | "docx" | "pdf"): string =>
    sessions[":name"].export.$path({ param: { ...inWorkspace(workspaceId), name: encodeURIComponent(name) }, query: { format } }),

  settings: (workspaceId: string) => typed(settings.$get({ param: inWorkspace(workspaceId) })),
  saveSettings: (workspaceId: string, body: SettingsUpdate) => typed(settings.$put({ param: inWorkspace(workspaceId), json: body })),
  testProvider: (workspaceId: string) => typed(settings["test-provider"].$post({ param: inWorkspace(workspaceId) })),

  audit: (workspaceId: string) => typed(auditLog.audit.$get({ param: inWorkspace(workspaceId) })),
  auditCsvUrl: (workspaceId: string): string => auditLog["audit.csv"].$path({ param: inWorkspace(workspaceId) }),

  templates: (workspaceId: string) => typed(toolkit.templates.$get({ param: inWorkspace(workspaceId) })),
  /** Drafts from a template; with a session name the draft is kept in that session (and exports with it). */
  draft: (workspaceId: string, body: DraftRequest) => typed(toolkit.drafts.$post({ param: inWorkspace(workspaceId), json: body })),
  authorities: (workspaceId: string) => typed(toolkit.authorities.$get({ param: inWorkspace(workspaceId) })),
  /** The comparison as a download; this route is registered in a loop over the formats, so its path is written here. */
  authoritiesDownloadUrl: (workspaceId: string, format: "csv" | "md"): string =>
    `${toolkit.authorities.$path({ param: inWorkspace(workspaceId) })}/compare.${format}`,
};
