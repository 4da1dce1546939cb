/**
 * Configuration is read once here (environment and command-line overrides), validated with zod and passed down.
 * Nothing deeper in the code reads process.env.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { LoadLimits } from "../loaders/types.ts";
import { defaultLoadLimits } from "../loaders/types.ts";

const megabytes = (value: number): number => value * 1024 * 1024;

const positiveNumber = z.coerce.number().positive();

export const configSchema = z.object({
  dataDir: z.string().min(1),
  limits: z.object({
    maxFileBytes: positiveNumber,
    maxInflatedBytes: positiveNumber,
    maxCompressionRatio: positiveNumber,
    timeoutMs: positiveNumber,
  }),
  ocr: z.object({
    enabled: z.boolean(),
    command: z.string().min(1),
    language: z.string().min(1),
  }),
});

export type HearthConfig = z.infer<typeof configSchema> & { limits: LoadLimits };

/** The per-user default data folder: $XDG_DATA_HOME/hearth, else ~/.local/share/hearth. */
export function defaultDataDir(environment: NodeJS.ProcessEnv): string {
  const base = environment.XDG_DATA_HOME && environment.XDG_DATA_HOME.length > 0
    ? environment.XDG_DATA_HOME
    : join(homedir(), ".local", "share");
  return join(base, "hearth");
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
}

/** Builds the configuration from the environment and command-line overrides; names the bad field on failure. */
export function loadConfig(
  environment: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): Result<HearthConfig> {
  const raw = {
    dataDir: resolve(overrides.dataDir ?? environment.HEARTH_DATA ?? defaultDataDir(environment)),
    limits: {
      maxFileBytes: environment.HEARTH_MAX_FILE_MB
        ? megabytes(Number(environment.HEARTH_MAX_FILE_MB))
        : defaultLoadLimits.maxFileBytes,
      maxInflatedBytes: environment.HEARTH_MAX_INFLATED_MB
        ? megabytes(Number(environment.HEARTH_MAX_INFLATED_MB))
        : defaultLoadLimits.maxInflatedBytes,
      maxCompressionRatio: environment.HEARTH_MAX_COMPRESSION_RATIO ?? defaultLoadLimits.maxCompressionRatio,
      timeoutMs: environment.HEARTH_EXTRACT_TIMEOUT_S
        ? Number(environment.HEARTH_EXTRACT_TIMEOUT_S) * 1000
        : defaultLoadLimits.timeoutMs,
    },
    ocr: {
      enabled: environment.HEARTH_OCR !== "off",
      command: environment.HEARTH_TESSERACT ?? "tesseract",
      language: environment.HEARTH_OCR_LANGUAGE ?? "eng",
    },
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join(".") : "config";
    return fail(
      new HearthError("CONFIG_INVALID", `Invalid configuration: ${field}: ${issue?.message ?? "invalid"}`, {
        subject: field,
        cause: parsed.error,
      }),
    );
  }
  return ok(parsed.data);
}
