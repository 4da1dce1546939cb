/**
 * A local GGUF model through node-llama-cpp, an optional peer dependency: it is imported only when this provider
 * is configured, so a Hearth without it installs and runs. Nothing leaves the machine, so nothing is redacted and
 * no request is logged.
 */
import { existsSync, statSync } from "node:fs";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { GenerateOptions, GenerateRequest, Generation, LanguageModel } from "./types.ts";

/** The small part of node-llama-cpp (v3) that Hearth uses. */
export interface LlamaCppModule {
  getLlama(): Promise<{ loadModel(options: { modelPath: string }): Promise<LlamaCppModel> }>;
  LlamaChatSession: new (options: { contextSequence: unknown; systemPrompt?: string }) => {
    prompt(
      text: string,
      options?: { maxTokens?: number; temperature?: number; signal?: AbortSignal; onTextChunk?: (text: string) => void },
    ): Promise<string>;
  };
}

interface LlamaCppModel {
  createContext(): Promise<{ getSequence(): unknown; dispose?(): Promise<void> | void }>;
}

export interface LlamaCppOptions {
  modelPath: string;
  /** How the module is loaded; tests pass a stand-in. */
  loadModule?: () => Promise<unknown>;
}

const packageName = "node-llama-cpp";

function unavailable(message: string, subject: string, cause?: unknown): HearthError {
  return new HearthError("PROVIDER_UNAVAILABLE", message, { subject, ...(cause === undefined ? {} : { cause }) });
}

export function createLlamaCpp(options: LlamaCppOptions): LanguageModel {
  const { modelPath } = options;
  const loadModule = options.loadModule ?? (() => import(/* @vite-ignore */ packageName));
  let loaded: Promise<Result<{ module: LlamaCppModule; model: LlamaCppModel }>> | undefined;

  const load = (): Promise<Result<{ module: LlamaCppModule; model: LlamaCppModel }>> => {
    loaded ??= (async () => {
      if (!existsSync(modelPath) || !statSync(modelPath).isFile()) {
        return fail(unavailable(`The model file ${modelPath} does not exist. Check HEARTH_LLM_MODEL_PATH (a .gguf file).`, modelPath));
      }
      let module: LlamaCppModule;
      try {
        module = (await loadModule()) as LlamaCppModule;
      } catch (error) {
        return fail(
          unavailable(
            `The llama-cpp provider needs the optional package node-llama-cpp, which is not installed. Run \`npm install node-llama-cpp@3\` in the Hearth folder, or choose another HEARTH_LLM_PROVIDER.`,
            packageName,
            error,
          ),
        );
      }
      try {
        const llama = await module.getLlama();
        return ok({ module, model: await llama.loadModel({ modelPath }) });
      } catch (error) {
        return fail(unavailable(`${modelPath}: node-llama-cpp could not load the model (${describeError(error)}).`, modelPath, error));
      }
    })();
    return loaded;
  };

  const generate = async (request: GenerateRequest, generateOptions: GenerateOptions = {}): Promise<Result<Generation>> => {
    if (request.messages.some((message) => (message.images?.length ?? 0) > 0)) {
      return fail(new HearthError("IMAGES_NOT_SUPPORTED", `The local model ${modelPath} does not accept images through Hearth.`, { subject: modelPath }));
    }
    const loadedModel = await load();
    if (!loadedModel.ok) {
      // A failed load is not cached for ever: the user may install the package or fix the path and retry.
      loaded = undefined;
      return loadedModel;
    }
    const { module, model } = loadedModel.value;
    try {
      const context = await model.createContext();
      try {
        const session = new module.LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: request.system });
        // Earlier turns are replayed as one prompt: a chat session keeps its own history.
        const history = request.messages.slice(0, -1).map((message) => `${message.role === "user" ? "User" : "Assistant"}: ${message.content}`);
        const last = request.messages.at(-1)?.content ?? "";
        const text = await session.prompt([...history, last].join("\n\n"), {
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(generateOptions.signal ? { signal: generateOptions.signal } : {}),
          ...(generateOptions.onToken ? { onTextChunk: generateOptions.onToken } : {}),
        });
        return ok({ text, finishReason: "stop" });
      } finally {
        await context.dispose?.();
      }
    } catch (error) {
      return fail(new HearthError("PROVIDER_FAILED", `The local model ${modelPath} failed (${describeError(error)}).`, { subject: modelPath, cause: error }));
    }
  };

  const name = modelPath.split(/[\\/]/).at(-1) ?? modelPath;
  return {
    id: `llama-cpp:${name}`,
    provider: "llama-cpp",
    model: name,
    supportsImages: false,
    local: true,
    generate,
  };
}
