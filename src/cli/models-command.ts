/**
 * `hearth models show` prints the configured language and embedding models (never the key, only whether one is
 * set); `hearth models test` sends each a tiny request and reports the outcome in the words a user can act on.
 */
import type { Command } from "commander";
import type { HearthConfig } from "../config/config.ts";
import type { shouldRedact as ShouldRedact } from "../privacy/policy.ts";
import type { requestLogPath as RequestLogPath } from "../privacy/request-log.ts";
import type { createLanguageModel as CreateLanguageModel } from "../providers/from-config.ts";
import type { CommandContext } from "./program.ts";

interface ModelsReport {
  llm: { provider: string; model: string | null; endpoint: string | null; apiKeySet: boolean; local: boolean | null; redacted: boolean; images: boolean | null };
  embeddings: { provider: string; model: string | null; endpoint: string | null; apiKeySet: boolean };
  requestLog: string;
}

interface ModelModules {
  createLanguageModel: typeof CreateLanguageModel;
  shouldRedact: typeof ShouldRedact;
  requestLogPath: typeof RequestLogPath;
}

/** The provider modules, loaded only when a models command runs. */
async function modelModules() {
  const [providers, policy, log] = await Promise.all([import("../providers/from-config.ts"), import("../privacy/policy.ts"), import("../privacy/request-log.ts")]);
  return { ...providers, ...log, shouldRedact: policy.shouldRedact };
}

function describeModels(config: HearthConfig, { createLanguageModel, shouldRedact, requestLogPath }: ModelModules): ModelsReport {
  const llm = createLanguageModel(config);
  const model = llm.ok ? llm.value : null;
  const endpoint =
    config.llm.provider === "llama-cpp" ? (config.llm.modelPath ?? null) : config.llm.provider === "extractive" ? null : (config.llm.baseUrl ?? "(provider default)");
  return {
    llm: {
      provider: config.llm.provider,
      model: config.llm.model ?? model?.model ?? null,
      endpoint,
      apiKeySet: Boolean(config.llm.apiKey),
      local: model ? model.local : null,
      redacted: model ? shouldRedact(config.privacy.redact, model.local) : false,
      images: model ? model.supportsImages : null,
    },
    embeddings: {
      provider: config.embeddings.provider,
      model: config.embeddings.model ?? null,
      endpoint: config.embeddings.provider === "none" ? null : (config.embeddings.baseUrl ?? "(provider default)"),
      apiKeySet: Boolean(config.embeddings.apiKey),
    },
    requestLog: requestLogPath(config.dataDir),
  };
}

export function registerModelsCommand(program: Command, context: CommandContext): void {
  const models = program.command("models").description("show or test the configured language and embedding models");

  models
    .command("show", { isDefault: true })
    .description("print the model configuration (the API key is never shown)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const report = describeModels(context.config(), await modelModules());
      if (options.json) {
        context.io.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const { llm, embeddings } = report;
      context.io.stdout.write(
        [
          `Language model: ${llm.provider}${llm.model ? ` (${llm.model})` : ""}${llm.endpoint ? ` at ${llm.endpoint}` : ""}`,
          ...(llm.provider === "extractive"
            ? ["  offline: answers are sentences quoted from the library"]
            : [
                `  API key: ${llm.apiKeySet ? "set" : "not set"}; ${llm.local ? "on this machine" : "off this machine"}; redaction ${llm.redacted ? "on" : "off"}; images ${llm.images ? "accepted" : "not accepted"}`,
              ]),
          `Embeddings: ${embeddings.provider}${embeddings.model ? ` (${embeddings.model})` : ""}${embeddings.endpoint ? ` at ${embeddings.endpoint}` : ""}`,
          `Request log: ${report.requestLog}`,
          "",
        ].join("\n"),
      );
    });

  models
    .command("test")
    .description("send the configured models a tiny request and report the outcome")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const config = context.config();
      const { createRequestLog, createLanguageModel, createEmbeddingModel } = await modelModules();
      const log = createRequestLog(config.dataDir, (message) => io.stderr.write(`hearth: warning: ${message}\n`));
      const checks: { what: string; ok: boolean; message: string; milliseconds: number }[] = [];
      const llm = createLanguageModel(config, log);
      if (!llm.ok) checks.push({ what: "language model", ok: false, message: llm.error.message, milliseconds: 0 });
      else if (llm.value === null) checks.push({ what: "language model", ok: true, message: "extractive (offline): nothing to test", milliseconds: 0 });
      else {
        const started = Date.now();
        const result = await llm.value.generate({ system: "Reply with the single word: ready", messages: [{ role: "user", content: "Are you ready?" }], maxTokens: 8 });
        checks.push({
          what: "language model",
          ok: result.ok,
          message: result.ok ? `${llm.value.id} answered (“${result.value.text.trim().slice(0, 40)}”)` : result.error.message,
          milliseconds: Date.now() - started,
        });
      }
      const embeddings = createEmbeddingModel(config, log);
      if (!embeddings.ok) checks.push({ what: "embeddings", ok: false, message: embeddings.error.message, milliseconds: 0 });
      else if (embeddings.value === null) checks.push({ what: "embeddings", ok: true, message: "none configured: keyword search only", milliseconds: 0 });
      else {
        const started = Date.now();
        const result = await embeddings.value.embed(["residential children's home"]);
        checks.push({
          what: "embeddings",
          ok: result.ok,
          message: result.ok ? `${embeddings.value.id} returned a vector of ${result.value[0]?.length ?? 0} numbers` : result.error.message,
          milliseconds: Date.now() - started,
        });
      }
      if (options.json) io.stdout.write(`${JSON.stringify({ checks })}\n`);
      else for (const check of checks) io.stdout.write(`${check.ok ? "ok  " : "FAIL"} ${check.what}: ${check.message}${check.milliseconds ? ` (${check.milliseconds} ms)` : ""}\n`);
      if (checks.some((check) => !check.ok)) context.setExitCode(1);
    });
}
