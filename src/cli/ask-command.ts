/** `hearth ask "<question>"`: a cited answer from the library; `--session` keeps the exchange. */
import type { Command } from "commander";
import { createExtractiveAnswerer } from "../answer/extractive-answerer.ts";
import type { Answer } from "../answer/types.ts";
import { createSearcher } from "../retrieval/search.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

/** The exact `--json` shape the issue names: no internal fields. */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations.map((citation) => ({
      n: citation.n,
      file: citation.file,
      page: citation.page,
      section: citation.section,
      quote: citation.quote,
    })),
    mode: answer.mode,
  });
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

export function registerAskCommand(program: Command, context: CommandContext): void {
  program
    .command("ask")
    .description("answer a question from the library, every sentence cited to a file and page")
    .argument("<question...>", "the question")
    .option("--json", "print JSON for scripts")
    .option("--session <name>", "add the exchange to a named working session")
    .action(async (questionWords: string[], options: { json?: boolean; session?: string }) => {
      const { io } = context;
      const question = questionWords.join(" ").trim();
      const answer = await withStore(context.config(), (store) => {
        const answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
        const result = answerer.answer(question);
        if (options.session) store.addExchange(options.session, { askedAt: new Date().toISOString(), answer: result });
        return result;
      });
      io.stdout.write(options.json ? `${answerJson(answer)}\n` : formatAnswer(answer));
      if (options.session && !options.json) io.stderr.write(`(added to session "${options.session}")\n`);
    });
}
