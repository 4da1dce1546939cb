/** Runs the app on a real HTTP server (@hono/node-server); port 0 picks a free port (tests). */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { HearthConfig } from "../config/config.ts";
import { openAccounts } from "../store/open-accounts.ts";
import type { CreateAppOptions, HearthApp } from "./create-app.ts";
import { createApp } from "./create-app.ts";
import { openJobQueue } from "../store/open-job-queue.ts";

export interface RunningServer {
  /** http://host:port, without a trailing slash. */
  url: string;
  hearth: HearthApp;
  /** Stops accepting connections, ends open streams, waits for ingests in progress and closes the stores. */
  close(): Promise<void>;
}

export async function startServer(options: { config: HearthConfig } & Partial<CreateAppOptions>): Promise<RunningServer> {
  // The accounts: SQLite <data>/accounts.db, or PostgreSQL when the configuration's storeUrl names one.
  const accounts = options.accounts ?? (await openAccounts(options.config));
  let hearth: HearthApp;
  try {
    // The configured queue (PostgreSQL with storeUrl, shared with other servers and `hearth worker` processes).
    hearth = createApp({ ...options, accounts, queue: options.queue ?? (await openJobQueue(options.config)) });
  } catch (error) {
    await accounts.close();
    throw error;
  }
  const { host, port } = options.config.server;
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const started = serve({ fetch: hearth.app.fetch, hostname: host, port }, () => resolve(started as Server)) as Server;
      started.once("error", reject);
    });
  } catch (error) {
    // A port in use: close the stores (a PostgreSQL pool would otherwise keep the process alive).
    await hearth.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    hearth,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // SSE streams keep connections open; end them rather than wait.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
        await stopped;
        await hearth.close();
      })();
      return closing;
    },
  };
}
