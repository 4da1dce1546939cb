import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { languageModelContract } from "./language-model-contract.ts";
import type { LlamaCppModule } from "./llama-cpp.ts";
import { createLlamaCpp } from "./llama-cpp.ts";

const folder = mkdtempSync(join(tmpdir(), "hearth-gguf-"));
const modelPath = join(folder, "tiny.gguf");
writeFileSync(modelPath, "GGUF stand-in");

/** A stand-in for node-llama-cpp's v3 API that answers `reply` in pieces. */
function standInModule(reply: string, seen: { systemPrompt?: string; prompt?: string } = {}): LlamaCppModule {
  return {
    getLlama: () =>
      Promise.resolve({
        loadModel: () =>
          Promise.resolve({ createContext: () => Promise.resolve({ getSequence: () => ({}), dispose: () => undefined }) }),
      }),
    LlamaChatSession: class {
      constructor(options: { systemPrompt?: string }) {
        seen.systemPrompt = options.systemPrompt;
      }
      prompt(text: string, options: { onTextChunk?: (text: string) => void } = {}): Promise<string> {
        seen.prompt = text;
        for (const piece of reply.match(/\S+\s*/g) ?? []) options.onTextChunk?.(piece);
        return Promise.resolve(reply);
      }
    },
  };
}

languageModelContract("local GGUF through node-llama-cpp", {
  create: (reply) => createLlamaCpp({ modelPath, loadModule: () => Promise.resolve(standInModule(reply)) }),
});

describe("llama-cpp provider", () => {
  it("passes the system prompt and the question to the chat session", async () => {
    const seen: { systemPrompt?: string; prompt?: string } = {};
    const model = createLlamaCpp({ modelPath, loadModule: () => Promise.resolve(standInModule("Fine.", seen)) });
    const result = await model.generate({ system: "Be careful.", messages: [{ role: "user", content: "How are you?" }] });
    expect(result.ok && result.value.text).toBe("Fine.");
    expect(seen).toEqual({ systemPrompt: "Be careful.", prompt: "How are you?" });
    expect(model.local).toBe(true);
    expect(model.id).toBe("llama-cpp:tiny.gguf");
  });

  it("says clearly when node-llama-cpp is not installed (the real import, which fails here)", async () => {
    const result = await createLlamaCpp({ modelPath }).generate({ system: "", messages: [{ role: "user", content: "Hi" }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(result.error.message).toMatch(/needs the optional package node-llama-cpp, which is not installed\. Run `npm install node-llama-cpp@3`/);
    expect(result.error.cause).toBeDefined();
  });

  it("says clearly when the model file is missing", async () => {
    const missing = join(folder, "absent.gguf");
    const result = await createLlamaCpp({ modelPath: missing, loadModule: () => Promise.resolve(standInModule("x")) }).generate({
      system: "",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(!result.ok && result.error.message).toBe(`The model file ${missing} does not exist. Check HEARTH_LLM_MODEL_PATH (a .gguf file).`);
  });
});
