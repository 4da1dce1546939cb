/** `hearth eval <questions.json>`: how well search and answers do on a user's own question set. */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { evaluate, parseQuestionSet } from "../answer/evaluate.ts";
import { createExtractiveAnswerer } from "../answer/extractive-answerer.ts";
import { HearthError, describeError } from "../errors/hearth-error.ts";
import { addOutOfDateNotes, withSourceAuthority } from "../authority/source-authority.ts";
import { createSearcher } from "../retrieval/search.ts";
import { attributeVoice } from "../identity/attribute-voice.ts";
import { withDocumentIdentity } from "../identity/identity-search.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { parsePositiveInteger } from "./program.ts";

const percent = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);

export function registerEvalCommand(program: Command, context: CommandContext): void {
  program
    .command("eval")
    .description("measure search and answers on a question set (format of dev-questions.json)")
    .argument("<questions>", "JSON file: [{question, answers, gold:[{file, pages}]}]")
    .option("-k, --top <n>", "how many search results count as a hit", parsePositiveInteger("-k"), 5)
    .option("--json", "print JSON for scripts")
    .option("-v, --verbose", "show every question")
    .action(async (file: string, options: { top: number; json?: boolean; verbose?: boolean }) => {
      const { io } = context;
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, "utf8"));
      } catch (error) {
        throw new HearthError("INVALID_INPUT", `${basename(file)}: cannot read the question set (${describeError(error)})`, {
          subject: file,
          cause: error,
        });
      }
      const questions = parseQuestionSet(raw, basename(file));
      if (!questions.ok) throw questions.error;
      const summary = await withStore(context.config(), (store) => {
        // Search is measured as `hearth search` ranks; answers as `hearth ask` gives them (source authority applied).
        const searcher = withDocumentIdentity(createSearcher(store), store);
        const answerer = createExtractiveAnswerer({ store, searcher: withSourceAuthority(searcher, store) });
        return evaluate(questions.value, {
          searcher,
          answerer: { answer: (question) => addOutOfDateNotes(attributeVoice(answerer.answer(question), store), store) },
          k: options.top,
          store,
        });
      });
      if (options.json) {
        const { details, ...totals } = summary;
        io.stdout.write(
          `${JSON.stringify({
            ...totals,
            details: details.map((detail) => ({
              id: detail.id,
              question: detail.question,
              goldRank: detail.goldRank,
              answerHit: detail.answerHit,
              goldCited: detail.goldCited,
              refused: detail.refused,
              milliseconds: Number(detail.milliseconds.toFixed(1)),
            })),
          })}\n`,
        );
        return;
      }
      for (const detail of summary.details) {
        const failed = (!detail.expectedRefusal && (detail.goldRank === null || !detail.answerHit || !detail.goldCited)) ||
          detail.expectedRefusal !== detail.refused || detail.unverifiedQuotes.length > 0;
        if (!options.verbose && !failed) continue;
        io.stdout.write(
          `${failed ? "✗" : "✓"} ${detail.id}  rank ${detail.goldRank ?? "-"}  answer ${detail.answerHit ? "yes" : "no"}  gold cited ${detail.goldCited ? "yes" : "no"}${detail.expectedRefusal ? `  refused ${detail.refused ? "yes" : "no"}` : ""}  ${detail.question}\n`,
        );
      }
      io.stdout.write(
        [
          `questions:           ${summary.questions}`,
          `top-${summary.k} hit rate:      ${percent(summary.topKHitRate)}`,
          `MRR:                 ${summary.meanReciprocalRank.toFixed(3)}`,
          `answer-key rate:     ${percent(summary.answerKeyRate)}`,
          `gold citation rate:  ${percent(summary.goldCitationRate)}`,
          `citation precision:  ${percent(summary.citationPrecision)}`,
          `quotes verbatim:     ${percent(summary.quoteVerifiedRate)}`,
          `refusal accuracy:    ${percent(summary.refusalAccuracy)}`,
          `answer latency:      p50 ${summary.latency.p50.toFixed(0)} ms, p95 ${summary.latency.p95.toFixed(0)} ms`,
          "",
        ].join("\n"),
      );
    });
}
