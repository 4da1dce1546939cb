/** `hearth serve`: the web interface and JSON API for a team, with accounts and workspaces. */
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import type { CommandContext } from "./program.ts";

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HearthError("INVALID_INPUT", `--port must be a whole number from 0 to 65535, not "${value}"`, { subject: "--port" });
  }
  return port;
}

export function registerServeCommand(program: Command, context: CommandContext): void {
  program
    .command("serve")
    .description("run the web interface and API (first visit: create the admin account)")
    .option("--host <host>", "address to listen on (default: $HEARTH_HOST or 127.0.0.1)")
    .option("--port <port>", "port to listen on (default: $HEARTH_PORT or 8787)", parsePort)
    .action(async (options: { host?: string; port?: number }) => {
      const base = context.config();
      const config = {
        ...base,
        server: { ...base.server, host: options.host ?? base.server.host, port: options.port ?? base.server.port },
      };
      const { startServer } = await import("../server/start-server.ts");
      const server = await startServer({ config });
      // Worker threads start and load their code now, not on the first question or upload.
      const ingestHere = config.serverIngest === "in-process";
      void Promise.all([server.hearth.services.answerPool.warm(), ingestHere ? server.hearth.services.ingestPool.warm() : undefined]);
      context.io.stdout.write(`Hearth is running at ${server.url}/ (data in ${config.dataDir}); Ctrl+C stops it.\n`);
      if (config.storeUrl !== undefined) {
        const { isPostgresUrl, redactPostgresUrl } = await import("../store/postgres/postgres-connection.ts");
        if (isPostgresUrl(config.storeUrl)) {
          context.io.stdout.write(`Accounts and sign-ins are in ${redactPostgresUrl(config.storeUrl)}, shared with every server using it.\n`);
          // Each server would otherwise make its own <data>/server.key, and one could not read the API keys another sealed.
          if (!config.server.secretKey) {
            context.io.stderr.write("Note: with several servers on one database, give each the same HEARTH_SERVER_KEY (or one shared data folder).\n");
          }
        }
      }
      if (!ingestHere) context.io.stdout.write("Uploads are queued for hearth worker processes (serverIngest: workers).\n");
      if (!["127.0.0.1", "localhost", "::1"].includes(config.server.host)) {
        context.io.stderr.write("Note: listening beyond this machine; put it behind HTTPS before others use it.\n");
        if (!config.server.origin) {
          context.io.stderr.write("Note: without HEARTH_ORIGIN only IP addresses and this machine's name are answered (421 for other names).\n");
        }
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          context.io.stdout.write("Stopping: finishing ingests in progress…\n");
          void server.close().then(resolve);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
