/** `hearth eval <questions.json>`: how well search and answers do on a user's own question set. */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { HearthError, describeError } from "../errors/hearth-error.ts";
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
      const { evaluate, evaluationDependencies, parseQuestionSet } = await import("./evaluation-setup.ts");
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
      const summary = await withStore(context.config(), async (store) => evaluate(questions.value, await evaluationDependencies(store, options.top)));
      if (options.json) {
        const { details, ...totals } = summary;
        io.stdout.write(
          `${JSON.stringify({
            ...totals,
            details: details.map((detail) => ({
              id: detail.id,
              question: detail.question,
              kind: detail.kind,
              goldRank: detail.goldRank,
              answerHit: detail.answerHit,
              goldCited: detail.goldCited,
              refused: detail.refused,
              expectedRefusal: detail.expectedRefusal,
              ...(options.verbose ? { answer: detail.answer.answer } : {}),
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
          `answer rate:         ${percent(summary.answerRate)} of ${summary.answerable} answerable`,
          `refused answerable:  ${percent(summary.refusalRateOnAnswerable)}`,
          `correct refusals:    ${summary.absent > 0 ? `${Math.round((summary.correctRefusalRate ?? 0) * summary.absent)} of ${summary.absent} absent (${percent(summary.correctRefusalRate)})` : "n/a (none absent)"}`,
          `refusal accuracy:    ${percent(summary.refusalAccuracy)}`,
          `answer latency:      p50 ${summary.latency.p50.toFixed(0)} ms, p95 ${summary.latency.p95.toFixed(0)} ms`,
          "",
        ].join("\n"),
      );
    });
}
