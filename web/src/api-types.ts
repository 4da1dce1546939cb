/**
 * The shapes the Hearth web API sends, taken from the server's own route types (the typed Hono sub-apps of
 * src/server, read through `hc`): a reply the server changes changes here, and a page that reads a field the server
 * no longer sends fails to compile. What is written out by hand below is what no route's type can carry, each with
 * the reason.
 */
import type { Hono } from "hono";
import type { hc, InferResponseType } from "hono/client";
import type { JSONParsed } from "hono/utils/types";
import type { AskStreamEvents } from "../../src/server/ask.ts";
import type { PrivateAuthRoutes } from "../../src/server/auth.ts";
import type { AuditRoutes } from "../../src/server/audit.ts";
import type { DocumentRoutes } from "../../src/server/documents.ts";
import type { DoneEvent as JobDoneEvent, ProgressEvent as JobProgressEvent } from "../../src/server/ingest-jobs.ts";
import type { SessionRoutes } from "../../src/server/sessions.ts";
import type { SettingsRoutes } from "../../src/server/settings.ts";
import type { TableRoutes } from "../../src/server/table-rows.ts";
import type { ToolkitRoutes } from "../../src/server/toolkit.ts";
import type { UploadRoutes } from "../../src/server/uploads.ts";
import type { InvitationRoutes, WorkspaceRoutes } from "../../src/server/workspaces.ts";
import type { WorkspaceRole } from "../../src/store/accounts-types.ts";

/** The typed client of a route group, as `hc` builds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hc's own constraint
type Client<Routes extends Hono<any, any, any>> = ReturnType<typeof hc<Routes>>;
/** What a client call answers with when it succeeds. */
type Reply<Call> = InferResponseType<Call>;

type WorkspaceApi = Client<WorkspaceRoutes>["api"]["workspaces"];
/** The calls under /api/workspaces/:workspaceId of a route group's client. */
type WorkspaceCalls<C> = C extends { api: { workspaces: { ":workspaceId": infer Calls } } } ? Calls : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
type InWorkspace<Routes extends Hono<any, any, any>> = WorkspaceCalls<Client<Routes>>;

export type Role = WorkspaceRole;

export type User = Reply<Client<PrivateAuthRoutes>["api"]["me"]["$get"]>["user"];

export type Invitation = Reply<Client<InvitationRoutes>["api"]["invitations"]["$get"]>["invitations"][number];

export type Workspace = Reply<WorkspaceApi["$get"]>["workspaces"][number];

export type Member = Reply<WorkspaceApi[":workspaceId"]["members"]["$get"]>["members"][number];

type DocumentsReply = Reply<InWorkspace<DocumentRoutes>["documents"]["$get"]>;
export type LibraryDocument = DocumentsReply["documents"][number];
export type AuthorityKind = DocumentsReply["authorityKinds"][number];

export type UploadAccepted = Reply<InWorkspace<UploadRoutes>["uploads"]["$post"]>;

/**
 * Upload progress arrives as Server-Sent Events, which no route type describes (the route's type is a stream);
 * the event data are the server's own types from ingest-jobs.ts. "refused" is a file the upload turned away before
 * any event (see UploadAccepted).
 */
export type ProgressEvent = JobProgressEvent["data"];
export type DoneEvent = JobDoneEvent["data"];
export type FileStatus = ProgressEvent["status"] | UploadAccepted["files"][number]["status"];

/**
 * The answer to a question comes as Server-Sent Events (their data typed by the server's AskStreamEvents); a draft
 * as JSON with the same shape, which is where this type is read from.
 */
export type Answer = Reply<InWorkspace<ToolkitRoutes>["drafts"]["$post"]>["draft"];
/** The ask stream's events by name, their data as JSON.parse reads them. */
export type AskEvents = { [Name in keyof AskStreamEvents]: JSONParsed<AskStreamEvents[Name]> };

/**
 * A citation. Answers from /ask and /drafts carry the document's id; answers read back from a saved session are
 * stored without it (the page looks the document up by file name), so here it is optional.
 */
export type Citation = Omit<Answer["citations"][number], "documentId"> & { documentId?: number | null };

export type TableRows = Reply<InWorkspace<TableRoutes>["tables"][":tableId"]["rows"]["$get"]>;

type SessionsApi = InWorkspace<SessionRoutes>["sessions"];
export type SessionSummary = Reply<SessionsApi["$get"]>["sessions"][number];
export type Session = Reply<SessionsApi[":name"]["$get"]>;

export type DocumentUnits = Reply<InWorkspace<DocumentRoutes>["documents"][":documentId"]["units"]["$get"]>;
export type UnitText = DocumentUnits["units"][number];

export type Settings = Reply<InWorkspace<SettingsRoutes>["settings"]["$get"]>;
/** The organisation profile: the same fields as the CLI, the server's schema and the templates (src/profile). */
export type Profile = Settings["profile"];
export type ProviderSettings = Settings["provider"];

export type AuditEvent = Reply<InWorkspace<AuditRoutes>["audit"]["$get"]>["events"][number];

export type TemplateSummary = Reply<InWorkspace<ToolkitRoutes>["templates"]["$get"]>["templates"][number];

export type AuthorityComparison = Reply<InWorkspace<ToolkitRoutes>["authorities"]["$get"]>;
/** One figure about an authority with its source; value "not found" (and no file or page) when no document states it. */
export type AuthorityFigure = AuthorityComparison["authorities"][number]["figures"][number];
