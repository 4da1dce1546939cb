/** `hearth ingest <paths...>`: folders recursively; a progress bar on a terminal, plain lines otherwise. */
import type { Command } from "commander";
import type { IngestOutcome } from "../ingest/ingest.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { count, rereadReason, unitWord } from "./wording.ts";

function describeOutcome(outcome: IngestOutcome): string {
  switch (outcome.status) {
    case "ingested": {
      const document = outcome.document;
      const verb = outcome.rechunked ? "re-read " : outcome.replaced ? "updated " : "ingested";
      const why = outcome.rechunked ? `; ${rereadReason}` : "";
      return `${verb}  ${outcome.fileName} (${count(document.unitCount, unitWord(document.format))}, ${count(document.chunkCount, "passage")}, ${(outcome.milliseconds / 1000).toFixed(2)} s${why})`;
    }
    case "unchanged":
      return `unchanged ${outcome.fileName} (already in the library)`;
    case "failed":
      return `failed    ${outcome.error.message}`;
  }
}

export function registerIngestCommand(program: Command, context: CommandContext): void {
  program
    .command("ingest")
    .description("add files or folders (recursively) to the library")
    .argument("<paths...>", "files or folders")
    .option("--json", "print one JSON summary instead of lines")
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { io } = context;
      const config = context.config();
      const interactive = Boolean(io.stderr.isTTY) && !options.json;
      const { ingestPaths } = await import("../ingest/ingest.ts");
      const cliProgress = interactive ? (await import("cli-progress")).default : undefined;
      const bar = cliProgress
        ? new cliProgress.SingleBar(
            { format: "{bar} {value}/{total} {file}", stream: io.stderr, hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const lines: string[] = [];
      const say = (line: string, toError = false): void => {
        if (options.json) return;
        if (bar) lines.push(line);
        else (toError ? io.stderr : io.stdout).write(`${line}\n`);
      };

      const summary = await withStore(config, async (store) => {
        const result = await ingestPaths(
          paths,
          { store, config },
          {
            onPlanned: (files) => bar?.start(files.length, 0, { file: "" }),
            onStart: (path) => bar?.update({ file: path.split("/").at(-1) ?? path }),
            onWarning: (_path, warning) => say(`warning   ${warning}`, true),
            onOutcome: (outcome) => {
              bar?.increment();
              say(describeOutcome(outcome), outcome.status === "failed");
            },
          },
        );
        // With an embedding model configured, the new passages get their vectors now (only those lacking one).
        if (result.ingested > 0 && config.embeddings.provider !== "none") {
          const { embedNewPassages } = await import("../retrieval/embed-new-passages.ts");
          const embedded = await embedNewPassages(store, config, (message) => io.stderr.write(`hearth: warning: ${message}\n`));
          if (!embedded.ok) say(`warning   embeddings not updated: ${embedded.error.message} (run: hearth embed)`, true);
          else say(`embedded  ${count(embedded.value.embedded, "new passage")} with ${embedded.value.model}`);
        }
        return result;
      });
      // A page worker started at process start (bin/hearth) on a file that was not loaded (unchanged, failed first).
      const { discardEarlyPageWorker } = await import("../loaders/pdf-page-worker-thread.ts");
      discardEarlyPageWorker();
      bar?.stop();
      for (const line of lines) (line.startsWith("failed") || line.startsWith("warning") ? io.stderr : io.stdout).write(`${line}\n`);

      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({
            ingested: summary.ingested,
            unchanged: summary.unchanged,
            failed: summary.failed,
            files: summary.outcomes.map((outcome) =>
              outcome.status === "failed"
                ? { file: outcome.fileName, path: outcome.path, status: outcome.status, code: outcome.error.code, error: outcome.error.message }
                : {
                    file: outcome.fileName,
                    path: outcome.path,
                    status: outcome.status,
                    units: outcome.document.unitCount,
                    passages: outcome.document.chunkCount,
                    // What reading the file warned of this run (a truncated sheet, pages OCR could not read): the
                    // document keeps it; an unchanged file was not read again.
                    warnings: outcome.status === "ingested" ? outcome.document.warnings : [],
                  },
            ),
          })}\n`,
        );
      } else {
        io.stdout.write(`${summary.ingested} ingested, ${summary.unchanged} unchanged, ${summary.failed} failed\n`);
      }
      if (summary.failed > 0) context.setExitCode(1);
    });
}
