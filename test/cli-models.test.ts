/**
 * `hearth models`: the presets with copy-paste settings, and `models test` against a loopback model (latency,
 * streaming, image support, failures in plain words).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

describe("hearth models", () => {
  let chat: FakeModelServer;
  let data: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    chat = await startFakeModelServer("openai");
    chat.respond = () => "ready";
    data = temporaryDirectory();
    env = { HEARTH_LLM_PROVIDER: "openai", HEARTH_LLM_BASE_URL: chat.url, HEARTH_LLM_MODEL: "llama3.1:8b", HEARTH_LLM_MAX_RETRIES: "0", HEARTH_EMBEDDINGS_PROVIDER: "none" };
  });
  afterAll(async () => {
    await chat.close();
  });

  it("lists the presets with settings to copy, and prints one in full", async () => {
    const list = await runHearth(["models"], { data, env });
    expect(list.code).toBe(0);
    for (const name of ["OpenAI", "Azure OpenAI", "Google Gemini", "Anthropic", "Mistral", "Ollama", "LM Studio", "llama.cpp server", "vLLM", "A local GGUF file"]) {
      expect(list.stdout).toContain(name);
    }
    expect(list.stdout).toContain("HEARTH_LLM_BASE_URL=https://generativelanguage.googleapis.com/v1beta/openai");
    const one = await runHearth(["models", "presets", "ollama"], { data, env });
    expect(one.stdout).toMatch(/^Ollama \(ollama\)\n {4}HEARTH_LLM_PROVIDER=openai\n {4}HEARTH_LLM_BASE_URL=http:\/\/127\.0\.0\.1:11434\/v1\n {4}HEARTH_LLM_MODEL=llama3\.1:8b\n/);
    expect(one.stdout).toContain('config.json: {"llm":{"provider":"openai","baseUrl":"http://127.0.0.1:11434/v1","model":"llama3.1:8b"}}');
    const unknown = await runHearth(["models", "presets", "gpt-9"], { data, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no preset "gpt-9"; the presets are openai, azure-openai, gemini/);
  });

  it("models test reports latency, streaming and image support; a model that accepts images is sent one", async () => {
    const text = await runHearth(["models", "test"], { data, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ok {3}language model: openai:llama3\.1:8b answered \(“ready”\)/);
    expect(text.stdout).toMatch(/latency: \d+ ms to the first word, \d+ ms in all/);
    expect(text.stdout).toContain("streaming: works");
    expect(text.stdout).toMatch(/images: not accepted \(Hearth does not send this model photos/);

    chat.requests.length = 0;
    const images = await runHearth(["models", "test", "--json"], { data, env: { ...env, HEARTH_LLM_IMAGES: "true" } });
    const parsed = JSON.parse(images.stdout) as { checks: { what: string; images?: string; streaming?: string }[] };
    expect(parsed.checks[0]).toMatchObject({ what: "language model", images: "accepted", streaming: "works" });
    expect(chat.requests[1]!.raw).toContain("data:image/png;base64,");
  });

  it("says in plain words when the model cannot be reached", async () => {
    const run = await runHearth(["models", "test"], { data, env: { ...env, HEARTH_LLM_BASE_URL: "http://127.0.0.1:9/v1" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL language model: The language model at http:\/\/127\.0\.0\.1:9\/v1 cannot be reached \(.*\)\. Is the server running\? Check HEARTH_LLM_BASE_URL\./);
  });
});
