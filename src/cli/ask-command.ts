/**
 * `hearth ask "<question>"`: a cited answer from the library; `--session` keeps the exchange. With a language
 * model configured the answer is drafted by the model and checked against the pages (`--stream` prints the draft
 * as it comes); otherwise, or when the model fails, the extractive answerer answers.
 */
import type { Command } from "commander";
import { createAnswerer } from "../answer/create-answerer.ts";
import { publicAnswer } from "../answer/public-answer.ts";
import type { Answer } from "../answer/types.ts";
import { loadImage } from "../providers/images.ts";
import type { ImageAttachment } from "../providers/types.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

/** The exact `--json` shape the issue names: no internal fields. */
export function answerJson(answer: Answer): string {
  return JSON.stringify(publicAnswer(answer));
}

export function formatAnswer(answer: Answer): string {
  const lines = [answer.answer.trim(), "", "Sources:"];
  if (answer.citations.length === 0) lines.push("  (none)");
  for (const citation of answer.citations) {
    const where = citation.page !== null ? `, page ${citation.page}` : citation.section ? `, § ${citation.section}` : "";
    lines.push(`  [${citation.n}] ${citation.file}${where}`);
    lines.push(`      “${citation.quote.replace(/\s+/g, " ").trim()}”`);
  }
  return `${lines.join("\n")}\n`;
}

interface AskOptions {
  json?: boolean;
  session?: string;
  stream?: boolean;
  image?: string[];
}

export function registerAskCommand(program: Command, context: CommandContext): void {
  program
    .command("ask")
    .description("answer a question from the library, every sentence cited to a file and page")
    .argument("<question...>", "the question")
    .option("--json", "print JSON for scripts")
    .option("--session <name>", "add the exchange to a named working session")
    .option("--stream", "print the language model's draft as it arrives, then the checked answer")
    .option("--image <path...>", "attach photos (JPEG, PNG, GIF, WebP) for a model that accepts images")
    .action(async (questionWords: string[], options: AskOptions) => {
      const { io } = context;
      const question = questionWords.join(" ").trim();
      const images: ImageAttachment[] = [];
      for (const path of options.image ?? []) {
        const image = loadImage(path);
        if (!image.ok) throw image.error;
        images.push(image.value);
      }
      const config = context.config();
      // The draft goes to stdout, or to stderr when stdout carries JSON.
      const draftOut = options.json ? io.stderr : io.stdout;
      let streamed = false;
      const answer = await withStore(config, async (store) => {
        const service = createAnswerer({ store, config, warn: (message) => io.stderr.write(`hearth: warning: ${message}\n`) });
        if (!service.ok) throw service.error;
        const result = await service.value.answer(question, {
          ...(images.length > 0 ? { images } : {}),
          ...(options.session ? { session: options.session } : {}),
          ...(options.stream
            ? {
                onToken: (token: string) => {
                  streamed = true;
                  draftOut.write(token);
                },
              }
            : {}),
        });
        if (!result.ok) throw result.error;
        if (options.session) store.addExchange(options.session, { askedAt: new Date().toISOString(), answer: result.value });
        return result.value;
      });
      if (streamed) draftOut.write("\n\n--- checked against the library ---\n\n");
      io.stdout.write(options.json ? `${answerJson(answer)}\n` : formatAnswer(answer));
      if (options.session && !options.json) io.stderr.write(`(added to session "${options.session}")\n`);
    });
}
