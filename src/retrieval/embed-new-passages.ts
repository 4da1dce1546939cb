/**
 * Embeds what an ingest added, with the configured embedding model: shared by `hearth ingest`, `hearth embed` and
 * the server's uploads, so each library's vectors stay current whichever way documents arrive.
 */
import type { HearthConfig } from "../config/config.ts";
import { HearthError, fail } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { createRequestLog } from "../privacy/request-log.ts";
import { createEmbeddingModel } from "../providers/from-config.ts";
import type { Store } from "../store/types.ts";
import { embedLibrary } from "./embed-library.ts";
import type { EmbedSummary } from "./embed-library.ts";

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
    ...(onProgress ? { onProgress } : {}),
  });
}
