/**
 * Configuration is read once here (an optional JSON file, the environment, command-line overrides), validated with
 * zod and passed down. Nothing deeper in the code reads process.env. Precedence: command line > environment > file.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import * as z from "zod";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { LoadLimits } from "../loaders/types.ts";
import { defaultLoadLimits } from "../loaders/types.ts";

const megabytes = (value: number): number => value * 1024 * 1024;
const positiveNumber = z.coerce.number().positive();
const optionalText = z.string().min(1).optional();

export const configSchema = z.object({
  dataDir: z.string().min(1),
  /**
   * Where the library is kept when not in `dataDir`: a folder (SQLite) or a `postgres://` URL (`--store`,
   * HEARTH_STORE_URL). Unset: the SQLite library in `dataDir`. Never printed whole (a URL may hold a password).
   */
  storeUrl: optionalText,
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
  /** The language model; "extractive" is the offline default that needs none. */
  llm: z.object({
    provider: z.enum(["extractive", "openai", "anthropic", "llama-cpp"]),
    baseUrl: z.string().url().optional(),
    model: optionalText,
    /** Never logged, never written to reports. */
    apiKey: optionalText,
    /** A local GGUF file for provider "llama-cpp". */
    modelPath: optionalText,
    timeoutMs: positiveNumber,
    maxRetries: z.coerce.number().int().min(0).max(10),
    /** Whether the model accepts images; undefined lets the provider decide from the model name. */
    images: z.boolean().optional(),
  }),
  embeddings: z.object({
    provider: z.enum(["none", "openai", "ollama"]),
    baseUrl: z.string().url().optional(),
    model: optionalText,
    apiKey: optionalText,
  }),
  privacy: z.object({
    /** Redact personal data from what is sent to a non-local endpoint: auto (cloud only), always, never. */
    redact: z.enum(["auto", "always", "never"]),
    /** Names always redacted (children, staff), besides those found next to "child", "young person" and the like. */
    names: z.array(z.string().min(1)),
  }),
  server: z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    maxUploadBytes: positiveNumber,
    /**
     * The address people open (https://hearth.example.org), checked against a state-changing request's Origin.
     * Unset: the Origin's host must equal the request's Host (what a reverse proxy passes on).
     */
    origin: z.string().url().optional(),
    /** Who may create workspaces: server admins only (default), or any signed-in user. */
    workspaceCreation: z.enum(["server-admins", "anyone"]),
    /**
     * Model and embedding hosts (host or host:port) allowed although they are loopback, link-local or private
     * addresses, e.g. "localhost:11434" for Ollama on the same machine. Everything else private is refused.
     */
    allowedModelHosts: z.array(z.string().min(1)),
    /** The key that encrypts secrets at rest (base64 or hex, 32 bytes); unset: <data>/server.key, made on first use. */
    secretKey: optionalText,
  }),
  /**
   * Who runs the ingestion jobs that uploads queue: "in-process" (the server's own worker threads, the default) or
   * "workers" (`hearth worker` processes, e.g. on other machines sharing a PostgreSQL queue).
   */
  serverIngest: z.enum(["in-process", "workers"]),
});

export type HearthConfig = z.infer<typeof configSchema> & { limits: LoadLimits };

/** The per-user default data folder: $XDG_DATA_HOME/hearth, else ~/.local/share/hearth. */
export function defaultDataDir(environment: NodeJS.ProcessEnv): string {
  const base =
    environment.XDG_DATA_HOME && environment.XDG_DATA_HOME.length > 0
      ? environment.XDG_DATA_HOME
      : join(environment.HOME ?? homedir(), ".local", "share");
  return join(base, "hearth");
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
  /** `--store <url-or-folder>`, over HEARTH_STORE_URL. */
  storeUrl?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

type Json = Record<string, unknown>;

function section(file: Json, name: string): Json {
  const value = file[name];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

/** The first defined value: environment first, then the config file, then the default. */
function pick(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined && value !== "");
}

const flag = (value: string | undefined): boolean | undefined =>
  value === undefined || value === "" ? undefined : ["1", "true", "yes", "on"].includes(value.toLowerCase());

/** Reads `HEARTH_CONFIG`, or `<dataDir>/config.json` when it exists. */
function readConfigFile(path: string | undefined): Result<Json> {
  if (!path || !existsSync(path)) return ok({});
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      return fail(new HearthError("CONFIG_INVALID", `${path}: the configuration file must hold a JSON object`, { subject: path }));
    }
    return ok(parsed as Json);
  } catch (error) {
    return fail(new HearthError("CONFIG_INVALID", `${path}: cannot read the configuration file (${describeError(error)})`, { subject: path, cause: error }));
  }
}

/** Builds the configuration from a config file, the environment and command-line overrides; names the bad field. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Result<HearthConfig> {
  const dataDir = resolve(overrides.dataDir ?? environment.HEARTH_DATA ?? defaultDataDir(environment));
  const fileResult = readConfigFile(environment.HEARTH_CONFIG ?? join(dataDir, "config.json"));
  if (!fileResult.ok) return fileResult;
  const file = fileResult.value;
  const llm = section(file, "llm");
  const embeddings = section(file, "embeddings");
  const privacy = section(file, "privacy");
  const server = section(file, "server");
  const limits = section(file, "limits");
  const ocr = section(file, "ocr");
  const megabytesOf = (value: string | undefined): number | undefined => (value ? megabytes(Number(value)) : undefined);

  const raw = {
    dataDir,
    storeUrl: pick(overrides.storeUrl, environment.HEARTH_STORE_URL, file.storeUrl as string),
    limits: {
      maxFileBytes: pick(megabytesOf(environment.HEARTH_MAX_FILE_MB), limits.maxFileBytes as number, defaultLoadLimits.maxFileBytes),
      maxInflatedBytes: pick(
        megabytesOf(environment.HEARTH_MAX_INFLATED_MB),
        limits.maxInflatedBytes as number,
        defaultLoadLimits.maxInflatedBytes,
      ),
      maxCompressionRatio: pick(
        environment.HEARTH_MAX_COMPRESSION_RATIO,
        limits.maxCompressionRatio as number,
        defaultLoadLimits.maxCompressionRatio,
      ),
      timeoutMs: pick(
        environment.HEARTH_EXTRACT_TIMEOUT_S ? Number(environment.HEARTH_EXTRACT_TIMEOUT_S) * 1000 : undefined,
        limits.timeoutMs as number,
        defaultLoadLimits.timeoutMs,
      ),
    },
    ocr: {
      enabled: pick(environment.HEARTH_OCR ? environment.HEARTH_OCR !== "off" : undefined, ocr.enabled as boolean, true),
      command: pick(environment.HEARTH_TESSERACT, ocr.command as string, "tesseract"),
      language: pick(environment.HEARTH_OCR_LANGUAGE, ocr.language as string, "eng"),
    },
    llm: {
      provider: pick(environment.HEARTH_LLM_PROVIDER, llm.provider as string, "extractive"),
      baseUrl: pick(environment.HEARTH_LLM_BASE_URL, llm.baseUrl as string),
      model: pick(environment.HEARTH_LLM_MODEL, llm.model as string),
      apiKey: pick(environment.HEARTH_LLM_API_KEY, llm.apiKey as string),
      modelPath: pick(environment.HEARTH_LLM_MODEL_PATH, llm.modelPath as string),
      timeoutMs: pick(
        environment.HEARTH_LLM_TIMEOUT_S ? Number(environment.HEARTH_LLM_TIMEOUT_S) * 1000 : undefined,
        llm.timeoutMs as number,
        120_000,
      ),
      maxRetries: pick(environment.HEARTH_LLM_MAX_RETRIES, llm.maxRetries as number, 2),
      images: pick(flag(environment.HEARTH_LLM_IMAGES), llm.images as boolean),
    },
    embeddings: {
      provider: pick(environment.HEARTH_EMBEDDINGS_PROVIDER, embeddings.provider as string, "none"),
      baseUrl: pick(environment.HEARTH_EMBEDDINGS_BASE_URL, embeddings.baseUrl as string),
      model: pick(environment.HEARTH_EMBEDDINGS_MODEL, embeddings.model as string),
      apiKey: pick(environment.HEARTH_EMBEDDINGS_API_KEY, embeddings.apiKey as string),
    },
    privacy: {
      redact: pick(environment.HEARTH_REDACT, privacy.redact as string, "auto"),
      names: pick(
        environment.HEARTH_REDACT_NAMES
          ? environment.HEARTH_REDACT_NAMES.split(/[,;]/).map((name) => name.trim()).filter((name) => name.length > 0)
          : undefined,
        privacy.names as string[],
        [],
      ),
    },
    server: {
      host: pick(overrides.host, environment.HEARTH_HOST, server.host as string, "127.0.0.1"),
      port: pick(overrides.port, environment.HEARTH_PORT, server.port as number, 8787),
      maxUploadBytes: pick(megabytesOf(environment.HEARTH_MAX_UPLOAD_MB), server.maxUploadBytes as number, megabytes(200)),
      origin: pick(environment.HEARTH_ORIGIN, server.origin as string),
      workspaceCreation: pick(environment.HEARTH_WORKSPACE_CREATION, server.workspaceCreation as string, "server-admins"),
      allowedModelHosts: pick(
        environment.HEARTH_ALLOWED_MODEL_HOSTS
          ? environment.HEARTH_ALLOWED_MODEL_HOSTS.split(/[,;\s]+/).filter((host) => host.length > 0)
          : undefined,
        server.allowedModelHosts as string[],
        [],
      ),
      secretKey: pick(environment.HEARTH_SERVER_KEY, server.secretKey as string),
    },
    serverIngest: pick(environment.HEARTH_SERVER_INGEST, file.serverIngest as string, "in-process"),
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
