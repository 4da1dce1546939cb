/** What every route gets: the services built once by createApp, and what the middleware found about the caller. */
import type { HttpBindings } from "@hono/node-server";
import type { HearthConfig } from "../config/config.ts";
import type { AccountsStore, AuthSession, WorkspaceRecord, WorkspaceRole } from "../store/accounts-types.ts";
import type { AnswerPool } from "./answer-pool.ts";
import type { JobQueue } from "../store/job-queue-types.ts";
import type { IngestPool } from "./ingest-pool.ts";
import type { SignInThrottle } from "./rate-limit.ts";
import type { SecretBox } from "./secret-box.ts";
import type { WorkspaceLibraries } from "./workspace-libraries.ts";

export interface ServerServices {
  config: HearthConfig;
  accounts: AccountsStore;
  libraries: WorkspaceLibraries;
  /** Ingest jobs of uploads and re-ingests, with their progress events (jobs.db, or PostgreSQL with storeUrl). */
  queue: JobQueue;
  /** Worker threads that run ingest jobs off the event loop (serverIngest "in-process"). */
  ingestPool: IngestPool;
  /** Worker threads that compute offline (extractive) answers off the event loop. */
  answerPool: AnswerPool;
  throttle: SignInThrottle;
  /** Seals secrets kept at rest (a workspace's model API key) with the server key. */
  secrets: SecretBox;
  version: string;
}

export interface ServerVariables {
  /** Set by the session middleware when the cookie names a live sign-in session. */
  auth: { token: string; session: AuthSession } | undefined;
  /** Set by the workspace middleware on /api/workspaces/:workspaceId/* routes. */
  workspace: WorkspaceRecord;
  role: WorkspaceRole;
}

/** Bindings are absent when the app is called through app.fetch() rather than @hono/node-server. */
export type ServerEnv = { Variables: ServerVariables; Bindings: Partial<HttpBindings> };
