/** `hearth embed`: vectors for the passages that lack them (new or changed documents, or all after a model change). */
import type { Command } from "commander";
import type { HearthConfig } from "../config/config.ts";
import { HearthError, fail } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { shouldRedact } from "../privacy/policy.ts";
import { createRequestLog } from "../privacy/request-log.ts";
import { createEmbeddingModel } from "../providers/from-config.ts";
import { embedLibrary } from "../retrieval/embed-library.ts";
import type { EmbedSummary } from "../retrieval/embed-library.ts";
import type { Store } from "../store/types.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

/** Embeds the passages that lack a vector for the configured model; fails when no embedding model is configured. */
export async function embedNewPassages(
  store: Store,
  config: HearthConfig,
  warn: (message: string) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<Result<EmbedSummary>> {
  const model = createEmbeddingModel(config, createRequestLog(config.dataDir, warn));
  if (!model.ok) return model;
  if (model.value === null) {
    return fail(
      new HearthError(
        "CONFIG_INVALID",
        "No embedding model is configured: set HEARTH_EMBEDDINGS_PROVIDER (ollama or openai) and HEARTH_EMBEDDINGS_MODEL. See README, Language models.",
        { subject: "HEARTH_EMBEDDINGS_PROVIDER" },
      ),
    );
  }
  const embeddings = model.value;
  return embedLibrary({
    store,
    model: embeddings,
    redact: shouldRedact(config.privacy.redact, embeddings.local),
    ...(onProgress ? { onProgress } : {}),
  });
}

export function registerEmbedCommand(program: Command, context: CommandContext): void {
  program
    .command("embed")
    .description("embed the library's passages for hybrid search (only those without a vector for the configured model)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const config = context.config();
      const summary = await withStore(config, (store) =>
        embedNewPassages(
          store,
          config,
          (message) => io.stderr.write(`hearth: warning: ${message}\n`),
          (done, total) => {
            if (!options.json) io.stderr.write(`\rembedded ${done} of ${total} passages`);
          },
        ),
      );
      if (!options.json) io.stderr.write("\n");
      if (!summary.ok) throw summary.error;
      const { embedded, total, model: id } = summary.value;
      io.stdout.write(
        options.json ? `${JSON.stringify({ model: id, embedded, total })}\n` : `${embedded} passages embedded with ${id}; ${total} passages in the library.\n`,
      );
    });
}
