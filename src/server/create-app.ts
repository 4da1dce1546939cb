/**
 * The Hono application behind `hearth serve`: JSON API under /api (validated with zod), the built UI at /.
 * Order matters: public routes first, then the sign-in check and CSRF check for everything else under /api,
 * then the workspace membership check for /api/workspaces/:workspaceId/*.
 */
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import type { HearthConfig } from "../config/config.ts";
import { HearthError } from "../errors/hearth-error.ts";
import type { AccountsStore } from "../store/accounts-types.ts";
import { openSqliteAccounts } from "../store/sqlite-accounts.ts";
import { registerAskRoutes } from "./ask.ts";
import { registerAuditRoutes } from "./audit.ts";
import { registerPrivateAuthRoutes, registerPublicAuthRoutes, requireUser, sessionMiddleware } from "./auth.ts";
import { csrfProtection } from "./csrf.ts";
import { registerDocumentRoutes } from "./documents.ts";
import { HttpError, statusForHearthError } from "./http-error.ts";
import { createIngestJobs } from "./ingest-jobs.ts";
import { createLoginRateLimiter } from "./rate-limit.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { registerSessionRoutes } from "./sessions.ts";
import { registerSettingsRoutes } from "./settings.ts";
import { registerStaticFiles } from "./static-files.ts";
import { registerTableRoutes } from "./table-rows.ts";
import { registerToolkitRoutes } from "./toolkit.ts";
import { registerUploadRoutes } from "./uploads.ts";
import { createWorkspaceLibraries } from "./workspace-libraries.ts";
import { registerWorkspaceRoutes, workspaceMiddleware } from "./workspaces.ts";

const packageVersion = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export interface CreateAppOptions {
  config: HearthConfig;
  /** Defaults to <dataDir>/accounts.db. */
  accounts?: AccountsStore;
  /** Defaults to <repo>/web/dist. */
  webRoot?: string;
}

export interface HearthApp {
  app: Hono<ServerEnv>;
  services: ServerServices;
  /** Waits for ingests in progress, then closes every store. */
  close(): Promise<void>;
}

export function createApp({ config, accounts, webRoot }: CreateAppOptions): HearthApp {
  const services: ServerServices = {
    config,
    accounts: accounts ?? openSqliteAccounts({ dataDir: config.dataDir }),
    libraries: createWorkspaceLibraries(config.dataDir),
    jobs: createIngestJobs(),
    loginLimiter: createLoginRateLimiter(),
    version: packageVersion,
  };
  const app = new Hono<ServerEnv>();

  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json({ error: error.message }, error.status, error.headers);
    if (error instanceof HearthError) return c.json({ error: error.message }, statusForHearthError(error));
    console.error("hearth serve: unexpected error", error);
    return c.json({ error: "Something went wrong on the server; the details are in its log" }, 500);
  });

  // The upload limit is public so that the page can refuse an oversized file before sending any of it.
  app.get("/api/health", (c) =>
    c.json({ ok: true, version: services.version, maxUploadBytes: services.config.server.maxUploadBytes }),
  );
  app.use("/api/*", sessionMiddleware(services));
  registerPublicAuthRoutes(app, services);

  app.use("/api/*", requireUser, csrfProtection);
  registerPrivateAuthRoutes(app, services);
  app.use("/api/workspaces/:workspaceId/*", workspaceMiddleware(services));
  app.use("/api/workspaces/:workspaceId", workspaceMiddleware(services));
  registerWorkspaceRoutes(app, services);
  registerDocumentRoutes(app, services);
  registerUploadRoutes(app, services);
  registerAskRoutes(app, services);
  registerSessionRoutes(app, services);
  registerSettingsRoutes(app, services);
  registerAuditRoutes(app, services);
  registerToolkitRoutes(app, services);
  registerTableRoutes(app, services);
  app.all("/api/*", (c) => c.json({ error: "No such API route" }, 404));
  registerStaticFiles(app, webRoot);

  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    close() {
      closing ??= (async () => {
        await services.libraries.close();
        services.accounts.close();
      })();
      return closing;
    },
  };
}
