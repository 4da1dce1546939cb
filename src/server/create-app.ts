/**
 * The Hono application behind `hearth serve`: JSON API under /api, the built UI at /. Each route group is a typed
 * sub-app (its file's `xRoutes(services)`, type `XRoutes` for the web app's `hc` client) mounted here with
 * app.route. Order matters: security headers, the Host check (DNS rebinding) and compression for everything; for
 * /api writes the same-site check (JSON or multipart from this site only); public groups; then the sign-in check
 * and CSRF token for everything else under /api; then the workspace membership check for
 * /api/workspaces/:workspaceId/*; each route then declares the role it needs (authorise.ts) and validates its input
 * (validate.ts) as middleware before its handler.
 */
import { chmodSync, readFileSync } from "node:fs";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import type { HearthConfig } from "../config/config.ts";
import { HearthError } from "../errors/hearth-error.ts";
import type { AccountsStore } from "../store/accounts-types.ts";
import { askRoutes } from "./ask.ts";
import { auditRoutes } from "./audit.ts";
import { adminUserRoutes } from "./admin-users.ts";
import { audit, privateAuthRoutes, publicAuthRoutes, requireUser, sessionMiddleware } from "./auth.ts";
import { csrfProtection, sameSiteWrites } from "./csrf.ts";
import { documentRoutes } from "./documents.ts";
import { hostCheck } from "./host-check.ts";
import { HttpError, statusForHearthError } from "./http-error.ts";
import { createAnswerPool } from "./answer-pool.ts";
import type { JobQueue } from "../store/job-queue-types.ts";
import { openSqliteJobQueue } from "../store/sqlite-job-queue.ts";
import { startIngestConsumer } from "./ingest-consumer.ts";
import type { IngestConsumer } from "./ingest-consumer.ts";
import { createIngestPool } from "./ingest-pool.ts";
import { createSignInThrottle } from "./rate-limit.ts";
import { createSecretBox, loadServerKey } from "./secret-box.ts";
import { securityHeaders } from "./security-headers.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { sessionRoutes } from "./sessions.ts";
import { settingsRoutes } from "./settings.ts";
import { registerStaticFiles } from "./static-files.ts";
import { tableRoutes } from "./table-rows.ts";
import { toolkitRoutes } from "./toolkit.ts";
import { uploadRoutes } from "./uploads.ts";
import { createWorkspaceLibraries } from "./workspace-libraries.ts";
import { invitationRoutes, publicInvitationRoutes, workspaceMiddleware, workspaceRoutes } from "./workspaces.ts";

const packageVersion = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export interface CreateAppOptions {
  config: HearthConfig;
  /** Opened by the caller with openAccounts(config) (startServer does); closed by `close()`. */
  accounts: AccountsStore;
  /** Defaults to <repo>/web/dist. */
  webRoot?: string;
  /** Defaults to <dataDir>/jobs.db (startServer opens the configured one: PostgreSQL with storeUrl). */
  queue?: JobQueue;
}

export interface HearthApp {
  app: Hono<ServerEnv>;
  services: ServerServices;
  /** Waits for ingests in progress, then closes every store. */
  close(): Promise<void>;
}

/** Files the server writes are the owner's only (0600, folders 0700): the data is about children. */
function restrictNewFiles(dataDir: string): void {
  try {
    process.umask(0o077);
  } catch {
    // Not allowed in worker threads; the stores and key file set their own modes as well.
  }
  try {
    chmodSync(dataDir, 0o700);
  } catch {
    // Made by the accounts store or the libraries, with that mode.
  }
}

/** Finished jobs (and their progress logs) are kept a day for late readers and `list`, then purged. */
const keepFinishedJobsMs = 24 * 60 * 60_000;

/** The one route open to anyone. The upload limit is public so that the page can refuse an oversized file before sending any of it. */
export function healthRoutes(services: ServerServices) {
  return new Hono<ServerEnv>().get("/api/health", (c) =>
    c.json({ ok: true, version: services.version, maxUploadBytes: services.config.server.maxUploadBytes }),
  );
}

export type HealthRoutes = ReturnType<typeof healthRoutes>;

export function createApp({ config, accounts, webRoot, queue }: CreateAppOptions): HearthApp {
  restrictNewFiles(config.dataDir);
  const services: ServerServices = {
    config,
    accounts,
    libraries: createWorkspaceLibraries(config),
    queue: queue ?? openSqliteJobQueue({ dataDir: config.dataDir }),
    ingestPool: createIngestPool(),
    answerPool: createAnswerPool(),
    throttle: createSignInThrottle(accounts),
    secrets: createSecretBox(loadServerKey(config.dataDir, config.server.secretKey)),
    version: packageVersion,
  };
  // With serverIngest "workers", `hearth worker` processes run the jobs and this server only queues them.
  const consumer: IngestConsumer | undefined =
    config.serverIngest === "in-process"
      ? startIngestConsumer({
          queue: services.queue,
          pool: services.ingestPool,
          config,
          libraries: services.libraries,
          onSettled: (job, payload, result) => {
            const detail = result.status === "failed" ? `${payload.fileName}: failed (${result.error?.message ?? "unknown"})` : `${payload.fileName}: ${result.rechunked ? "re-read (unchanged; an older version of Hearth chunked it)" : result.status}`;
            void services.accounts.recordAudit({ userId: payload.userId ?? null, workspaceId: job.workspaceId, action: payload.uploaded ? "upload" : "reingest", detail }).catch((error: unknown) => console.error("hearth serve: could not record the audit event", error));
          },
        })
      : undefined;
  const purge = setInterval(() => void services.queue.purge(keepFinishedJobsMs).catch(() => undefined), 60 * 60_000);
  purge.unref();
  const app = new Hono<ServerEnv>();

  app.onError(async (error, c) => {
    if (error instanceof HttpError) {
      // Refusals are audited: who tried what, in which workspace.
      if (error.status === 403) await audit(c, services, "forbidden", `${c.req.method} ${c.req.path}: ${error.message}`);
      return c.json({ error: error.message }, error.status, error.headers);
    }
    if (error instanceof HearthError) return c.json({ error: error.message }, statusForHearthError(error));
    // Hono's own refusals (a body that is not JSON, from a validator), as {error} like the rest.
    if (error instanceof HTTPException) return c.json({ error: error.message || "Bad request" }, error.status);
    console.error("hearth serve: unexpected error", error);
    return c.json({ error: "Something went wrong on the server; the details are in its log" }, 500);
  });

  app.use("*", securityHeaders);
  // DNS rebinding: only the names this server serves, before anything else runs.
  app.use("*", hostCheck(config.server));
  // JSON, CSV and Markdown are gzipped for clients that accept it (static files are brotli or gzip, precompressed);
  // event streams are never buffered by compression. Not /api/health: load balancers poll it every few seconds, and
  // its few bytes gain nothing from a zlib stream of their own (a JSON reply states no length, so the middleware's
  // size threshold never applies to it).
  const compression = compress({ contentTypeFilter: /^(application\/json|text\/(csv|markdown|plain))/ });
  app.use("/api/*", (c, next) => (c.req.path === "/api/health" ? next() : compression(c, next)));
  app.use("/api/*", sameSiteWrites(config.server.origin));

  app.route("/", healthRoutes(services));
  app.use("/api/*", sessionMiddleware(services));
  app.route("/", publicAuthRoutes(services));
  app.route("/", publicInvitationRoutes(services));

  app.use("/api/*", requireUser, csrfProtection);
  app.route("/", privateAuthRoutes(services));
  app.route("/", invitationRoutes(services));
  app.route("/", adminUserRoutes(services));
  app.use("/api/workspaces/:workspaceId/*", workspaceMiddleware(services));
  app.use("/api/workspaces/:workspaceId", workspaceMiddleware(services));
  app.route("/", workspaceRoutes(services));
  app.route("/", documentRoutes(services));
  app.route("/", uploadRoutes(services));
  app.route("/", askRoutes(services));
  app.route("/", sessionRoutes(services));
  app.route("/", settingsRoutes(services));
  app.route("/", auditRoutes(services));
  app.route("/", toolkitRoutes(services));
  app.route("/", tableRoutes(services));
  app.all("/api/*", (c) => c.json({ error: "No such API route" }, 404));
  registerStaticFiles(app, webRoot);

  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        await consumer?.close();
        await services.libraries.close();
        await Promise.all([services.ingestPool.close(), services.answerPool.close()]);
        await services.queue.close();
        await services.accounts.close();
      })();
      return closing;
    },
  };
}
