/**
 * What `hearth models show|presets|test` do once they run (loaded on demand: other commands never load the providers).
 */
import type { HearthConfig } from "../config/config.ts";
import { shouldRedact } from "../privacy/policy.ts";
import { createRequestLog, requestLogPath } from "../privacy/request-log.ts";
import { createEmbeddingModel, createLanguageModel } from "../providers/from-config.ts";
import { callLog, wrapLanguageModel } from "../providers/middleware.ts";
import type { CallRecord } from "../providers/middleware.ts";
import { modelPresets, presetConfig, presetEnvironment } from "../providers/presets.ts";
import type { ModelPreset } from "../providers/presets.ts";
import type { LanguageModel } from "../providers/types.ts";
import type { CommandContext } from "./program.ts";

interface ModelsReport {
  llm: { provider: string; model: string | null; endpoint: string | null; apiKeySet: boolean; local: boolean | null; redacted: boolean; images: boolean | null };
  embeddings: { provider: string; model: string | null; endpoint: string | null; apiKeySet: boolean };
  requestLog: string;
}

function describeModels(config: HearthConfig): ModelsReport {
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

function presetLines(preset: ModelPreset, full: boolean): string[] {
  return [
    `${preset.name} (${preset.id})`,
    ...presetEnvironment(preset).map((line) => `    ${line}`),
    ...(full ? [`  config.json: ${JSON.stringify({ llm: presetConfig(preset) })}`, `  ${preset.note}`] : []),
  ];
}

/** A 1x1 red PNG: the smallest image a model can be asked about. */
const tinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

interface LanguageModelCheck {
  ok: boolean;
  message: string;
  firstTokenMs: number | null;
  totalMs: number;
  streaming: "works" | "no pieces" | "failed";
  images: "accepted" | "not accepted" | "failed" | "not tried";
  imageMessage: string | null;
}

/** One tiny streamed request (and one with an image when the model is said to accept them). */
async function checkLanguageModel(base: LanguageModel): Promise<LanguageModelCheck> {
  const records: CallRecord[] = [];
  const model = wrapLanguageModel(base, [callLog((record) => records.push(record))]);
  let pieces = 0;
  const result = await model.generate(
    { system: "Reply with the single word: ready", messages: [{ role: "user", content: "Are you ready?" }], maxTokens: 8 },
    { onToken: () => pieces++ },
  );
  const record = records[0];
  const check: LanguageModelCheck = {
    ok: result.ok,
    message: result.ok ? `${base.id} answered (“${result.value.text.trim().slice(0, 40)}”)` : result.error.message,
    firstTokenMs: record?.firstTokenMs ?? null,
    totalMs: record?.totalMs ?? 0,
    streaming: !result.ok ? "failed" : pieces > 0 ? "works" : "no pieces",
    images: "not tried",
    imageMessage: null,
  };
  if (!result.ok) return check;
  if (!base.supportsImages) {
    check.images = "not accepted";
    check.imageMessage = "Hearth does not send this model photos (set HEARTH_LLM_IMAGES=true if it accepts them)";
    return check;
  }
  const withImage = await model.generate({
    system: "Reply with one word.",
    messages: [{ role: "user", content: "What colour is this image?", images: [{ mediaType: "image/png", data: tinyPng, name: "test.png" }] }],
    maxTokens: 8,
  });
  check.images = withImage.ok ? "accepted" : "failed";
  check.imageMessage = withImage.ok ? `answered “${withImage.value.text.trim().slice(0, 30)}”` : withImage.error.message;
  return check;
}

export function showModels(context: CommandContext, options: { json?: boolean }): void {
  const report = describeModels(context.config());
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
      "Presets (copy the lines into your environment, or see hearth models presets <id> for config.json):",
      ...modelPresets.flatMap((preset) => presetLines(preset, false).map((line) => `  ${line}`)),
      "",
    ].join("\n"),
  );
}

export function showPresets(context: CommandContext, id: string | undefined, options: { json?: boolean }): void {
  const chosen = id ? modelPresets.filter((preset) => preset.id === id) : modelPresets;
  if (id && chosen.length === 0) {
    context.io.stderr.write(`hearth: no preset "${id}"; the presets are ${modelPresets.map((preset) => preset.id).join(", ")}\n`);
    context.setExitCode(2);
    return;
  }
  if (options.json) {
    context.io.stdout.write(`${JSON.stringify({ presets: chosen.map((preset) => ({ ...preset, environment: presetEnvironment(preset), config: { llm: presetConfig(preset) } })) })}\n`);
    return;
  }
  context.io.stdout.write(`${chosen.map((preset) => presetLines(preset, true).join("\n")).join("\n\n")}\n`);
}

export async function testModels(context: CommandContext, options: { json?: boolean }): Promise<void> {
  const { io } = context;
  const config = context.config();
  const log = createRequestLog(config.dataDir, (message) => io.stderr.write(`hearth: warning: ${message}\n`));
  const checks: { what: string; ok: boolean; message: string; milliseconds: number; details?: string[]; [more: string]: unknown }[] = [];
  const llm = createLanguageModel(config, log);
  if (!llm.ok) checks.push({ what: "language model", ok: false, message: llm.error.message, milliseconds: 0 });
  else if (llm.value === null) checks.push({ what: "language model", ok: true, message: "extractive (offline): nothing to test", milliseconds: 0 });
  else {
    const check = await checkLanguageModel(llm.value);
    checks.push({
      what: "language model",
      ok: check.ok,
      message: check.message,
      milliseconds: Math.round(check.totalMs),
      ...(check.ok
        ? {
            details: [
              `latency: ${check.firstTokenMs === null ? "no first piece" : `${Math.round(check.firstTokenMs)} ms to the first word`}, ${Math.round(check.totalMs)} ms in all`,
              `streaming: ${check.streaming === "works" ? "works" : "the reply came in one piece (answers still work, without the live draft)"}`,
              `images: ${check.images}${check.imageMessage ? ` (${check.imageMessage})` : ""}`,
            ],
            latency: { firstTokenMs: check.firstTokenMs === null ? null : Math.round(check.firstTokenMs), totalMs: Math.round(check.totalMs) },
            streaming: check.streaming,
            images: check.images,
          }
        : {}),
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
  else {
    for (const check of checks) {
      io.stdout.write(`${check.ok ? "ok  " : "FAIL"} ${check.what}: ${check.message}${check.milliseconds ? ` (${check.milliseconds} ms)` : ""}\n`);
      for (const detail of check.details ?? []) io.stdout.write(`       ${detail}\n`);
    }
  }
  if (checks.some((check) => !check.ok)) context.setExitCode(1);
}
