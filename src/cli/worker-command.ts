/**
 * `hearth worker`: runs queued ingest jobs (uploads and re-ingests from `hearth serve`) from the configured job
 * queue: PostgreSQL with HEARTH_STORE_URL (any number of workers on any machines), else `<data>/jobs.db`. Each job
 * runs the same code as the server's ingest threads (src/ingest/ingest-job.ts) into its workspace's library. Runs
 * until SIGTERM or SIGINT: the first finishes the job in hand and stops, a second gives the job back to the queue
 * at once. `--once` runs every job claimable now and exits (scripts, tests).
 */
import type { Command } from "commander";
import { parsePositiveInteger } from "./program.ts";
import type { CommandContext } from "./program.ts";
import { count, rereadReason } from "./wording.ts";

interface WorkerOptions {
  once?: boolean;
  lease: number;
  json?: boolean;
}

export function registerWorkerCommand(program: Command, context: CommandContext): void {
  program
    .command("worker")
    .description("run queued ingestion jobs (uploads from hearth serve with serverIngest \"workers\") until stopped")
    .option("--once", "run the jobs queued now, then exit")
    .option("--lease <seconds>", "how long a claimed job stays this worker's without a heartbeat", parsePositiveInteger("--lease"), 60)
    .option("--json", "one JSON line per job instead of text")
    .action(async (options: WorkerOptions) => {
      const { io } = context;
      const config = context.config();
      const { hostname } = await import("node:os");
      const { describeError } = await import("../errors/hearth-error.ts");
      const { openJobQueue } = await import("../store/open-job-queue.ts");
      const { openWorkspaceLibrary } = await import("../store/workspace-library.ts");
      const { processIngestJob, runIngestJob, tidyUploadedFiles } = await import("../ingest/ingest-job.ts");
      const { redactPostgresUrl } = await import("../store/postgres/postgres-connection.ts");
      const { prepareLibrarySearch } = await import("../retrieval/prepare-search.ts");
      type Library = ReturnType<typeof openWorkspaceLibrary>;

      const queue = await openJobQueue(config);
      const leaseMs = options.lease * 1000;
      const workerId = `${hostname()}:${process.pid}`;
      const libraries = new Map<string, Library>();
      const libraryOf = (workspaceId: string): Library => {
        let library = libraries.get(workspaceId);
        if (!library) libraries.set(workspaceId, (library = openWorkspaceLibrary(config, workspaceId)));
        return library;
      };
      const where = config.storeUrl ? redactPostgresUrl(config.storeUrl) : `${config.dataDir}/jobs.db`;

      // First signal: finish the job in hand, then stop. Second: give it back to the queue and stop now.
      const stopping = new AbortController();
      let current: { lease: { jobId: string; token: string } } | undefined;
      let releaseNow: (() => void) | undefined;
      const onSignal = (): void => {
        if (!stopping.signal.aborted) {
          stopping.abort();
          if (!options.json) io.stderr.write(current ? "Stopping after the job in hand (again to give it back now)…\n" : "Stopping…\n");
          return;
        }
        releaseNow?.();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      if (!options.json) io.stderr.write(`hearth worker ${workerId}: taking ingest jobs from ${where}${options.once ? " (once)" : "; Ctrl+C stops it"}\n`);

      let done = 0;
      let failed = 0;
      /** Workspaces written to since their search was last prepared. */
      const written = new Set<string>();
      /**
       * Once the queue is empty: builds ahead what the first searches of the written libraries would build (large
       * PostgreSQL libraries' champion lists), so a user does not wait for it. A failure is told, not fatal.
       */
      const prepareWritten = async (): Promise<void> => {
        // A job queued meanwhile, or Ctrl+C, stops the building between two lists (one takes up to a minute at 1M
        // passages, all of them tens of minutes); what is left is built once the queue is empty again.
        const interrupt = new AbortController();
        const stop = (): void => interrupt.abort();
        stopping.signal.addEventListener("abort", stop, { once: true });
        const watching = queue.waitForChange({ timeoutMs: 24 * 60 * 60_000, signal: interrupt.signal }).then(stop);
        try {
          for (const workspaceId of [...written]) {
            if (interrupt.signal.aborted) return;
            await prepareOne(workspaceId, interrupt.signal);
          }
        } finally {
          stop();
          stopping.signal.removeEventListener("abort", stop);
          await watching;
        }
      };
      const prepareOne = async (workspaceId: string, signal: AbortSignal): Promise<void> => {
        written.delete(workspaceId);
        try {
          const prepared = await prepareLibrarySearch((await libraryOf(workspaceId)).store, undefined, signal);
          if (prepared?.stopped) written.add(workspaceId);
          // Nothing to say where nothing was to be built (SQLite, or a library below championFrom).
          if (prepared === undefined || prepared.built + prepared.fresh === 0) return;
          if (options.json) {
            io.stdout.write(`${JSON.stringify({ prepared: "search", workspace: workspaceId, built: prepared.built, fresh: prepared.fresh, stopped: prepared.stopped })}\n`);
          } else {
            const rest = prepared.stopped ? "; stopped for a job, the rest once the queue is empty" : "";
            io.stderr.write(`prepared  search of workspace ${workspaceId}: ${count(prepared.built, "champion list")} built, ${prepared.fresh} still fresh${rest}\n`);
          }
        } catch (error) {
          io.stderr.write(`warning   preparing the search of workspace ${workspaceId}: ${describeError(error)}\n`);
        }
      };
      try {
        while (!stopping.signal.aborted) {
          const claimed = await queue.claim({ workerId, leaseMs });
          if (!claimed) {
            if (written.size > 0) {
              await prepareWritten();
              continue;
            }
            if (options.once) break;
            await queue.waitForChange({ timeoutMs: 30_000, signal: stopping.signal });
            continue;
          }
          current = claimed;
          const { workspaceId } = claimed.job;
          const released = new Promise<"released">((resolve) => (releaseNow = () => resolve("released")));
          const processing = processIngestJob(
            queue,
            claimed,
            async (payload, bytes) => {
              const library = await libraryOf(workspaceId);
              return runIngestJob(library.store, config, payload, bytes, library.folder);
            },
            // The server's copies of the originals are tidied where they are on this machine (a shared data folder).
            { leaseMs, beforeComplete: (payload, result) => tidyUploadedFiles(config.dataDir, workspaceId, payload, result) },
          );
          const outcome = await Promise.race([processing, released]);
          current = undefined;
          releaseNow = undefined;
          if (outcome === "released") {
            await queue.release(claimed.lease);
            if (!options.json) io.stderr.write(`released  ${claimed.job.label} (back in the queue)\n`);
            break;
          }
          const result = outcome?.result;
          if (result && result.status !== "failed") {
            done++;
            written.add(workspaceId);
          }
          else failed++;
          if (options.json) {
            io.stdout.write(`${JSON.stringify({ job: claimed.job.id, workspace: workspaceId, file: claimed.job.label, status: result?.status ?? "retry", ...(result?.rechunked ? { rechunked: true } : {}), passages: result?.passages, error: result?.error?.message })}\n`);
          } else if (!result) {
            io.stderr.write(`error     ${claimed.job.label}: the job broke (attempt ${claimed.job.attempts} of ${claimed.job.maxAttempts})\n`);
          } else if (result.status === "failed") {
            io.stderr.write(`failed    ${result.error?.message ?? claimed.job.label}\n`);
          } else {
            const verb = result.rechunked ? "re-read" : result.status;
            io.stdout.write(`${verb.padEnd(9)} ${result.fileName} (${count(result.passages ?? 0, "passage")}, workspace ${workspaceId}${result.rechunked ? `; ${rereadReason}` : ""})\n`);
          }
          if (outcome && !outcome.completed && !options.json) io.stderr.write(`warning   ${claimed.job.label}: the job's lease ran out before it finished; another worker has it\n`);
        }
      } catch (error) {
        io.stderr.write(`hearth worker: ${describeError(error)}\n`);
        context.setExitCode(1);
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await Promise.all([...libraries.values()].map(async (library) => (await library).store.close()));
        await queue.close();
      }
      if (!options.json) io.stdout.write(`${count(done, "job")} done, ${failed} failed\n`);
      if (failed > 0) context.setExitCode(1);
    });
}
