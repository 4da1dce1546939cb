/**
 * Ready-made settings for the language models Hearth speaks to (presets.json): the provider, the base URL and an
 * example model, as environment lines and as the `llm` part of config.json, to copy and paste.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";

const presetSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(["openai", "anthropic", "llama-cpp"]),
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  modelPath: z.string().optional(),
  /** Whether the endpoint needs an API key. */
  key: z.enum(["required", "optional", "none"]),
  note: z.string(),
});

export type ModelPreset = z.infer<typeof presetSchema>;

export const modelPresets: readonly ModelPreset[] = z.array(presetSchema).parse(JSON.parse(readFileSync(new URL("./presets.json", import.meta.url), "utf8")));

/** The environment lines for a preset, ready to paste into a shell or a .env file. */
export function presetEnvironment(preset: ModelPreset): string[] {
  return [
    `HEARTH_LLM_PROVIDER=${preset.provider}`,
    ...(preset.baseUrl ? [`HEARTH_LLM_BASE_URL=${preset.baseUrl}`] : []),
    ...(preset.model ? [`HEARTH_LLM_MODEL=${preset.model}`] : []),
    ...(preset.modelPath ? [`HEARTH_LLM_MODEL_PATH=${preset.modelPath}`] : []),
    ...(preset.key === "none" ? [] : [`HEARTH_LLM_API_KEY=<your key>${preset.key === "optional" ? " (only if the server asks for one)" : ""}`]),
  ];
}

/** The same settings as config.json's `llm` object. */
export function presetConfig(preset: ModelPreset): Record<string, string> {
  return {
    provider: preset.provider,
    ...(preset.baseUrl ? { baseUrl: preset.baseUrl } : {}),
    ...(preset.model ? { model: preset.model } : {}),
    ...(preset.modelPath ? { modelPath: preset.modelPath } : {}),
    ...(preset.key === "none" ? {} : { apiKey: "<your key>" }),
  };
}
