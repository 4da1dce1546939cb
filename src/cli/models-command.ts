/**
 * `hearth models` (or `models show`) prints the configured language and embedding models (never the key, only
 * whether one is set) and the presets with copy-paste settings; `hearth models presets [id]` prints one or all of
 * them in full; `hearth models test` sends the language model one tiny request, streamed, and reports the latency
 * (to the first word and in all), whether streaming works, whether it accepts an image, and any failure in the
 * words a user can act on; then the embedding model.
 */
import type { Command } from "commander";
import type { CommandContext } from "./program.ts";

export function registerModelsCommand(program: Command, context: CommandContext): void {
  const models = program.command("models").description("show or test the configured language and embedding models");
  const actions = () => import("./models-action.ts");

  models
    .command("show", { isDefault: true })
    .description("print the model configuration (the API key is never shown)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => (await actions()).showModels(context, options));

  models
    .command("presets")
    .description("print copy-paste settings for OpenAI, Azure OpenAI, Gemini, Anthropic, Mistral, Ollama, LM Studio, llama.cpp, vLLM or a GGUF file")
    .argument("[id]", "one preset (openai, azure-openai, gemini, anthropic, mistral, ollama, lm-studio, llama-cpp-server, vllm, gguf)")
    .option("--json", "print JSON for scripts")
    .action(async (id: string | undefined, options: { json?: boolean }) => (await actions()).showPresets(context, id, options));

  models
    .command("test")
    .description("send the configured models a tiny request and report the outcome")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => (await actions()).testModels(context, options));
}
