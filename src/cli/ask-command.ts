/**
 * `hearth ask "<question>"`: a cited answer from the library; `--session` keeps the exchange and gives the answerer
 * the session's recent exchanges, so a follow-up ("what about Kent?") is answered about the right thing. With a
 * language model configured the answer is drafted by the model and checked against the pages (`--stream` prints
 * the draft as it comes, marked as being checked, then the checked answer with what the check changed and why);
 * otherwise, or when the model fails, the extractive answerer answers.
 */
import type { Command } from "commander";
import { publicAnswer } from "../answer/public-answer.ts";
import type { Answer } from "../answer/types.ts";
import { loadImage } from "../providers/images.ts";
import type { Store } from "../store/types.ts";
import type { ImageAttachment } from "../providers/types.ts";
import { warnWhenLibraryEmpty } from "./empty-library.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

/** The exact `--json` shape the issue names: no internal fields. */
export function answerJson(answer: Answer): string {
  return JSON.stringify(publicAnswer(answer));
}

const quoted = (text: string): string => `“${text.replace(/\s+/g, " ").trim()}”`;

export function formatAnswer(answer: Answer): string {
  const lines: string[] = [];
  if (answer.resolvedQuestion) lines.push(`(answering: ${answer.resolvedQuestion})`, "");
  lines.push(answer.answer.trim());
  const gaps = answer.gaps ?? [];
  if (gaps.length > 0) lines.push("", "Not in the library:", ...gaps.map((gap) => `  - ${gap}`));
  lines.push("", "Sources:");
  if (answer.citations.length === 0) lines.push("  (none)");
  for (const citation of answer.citations) {
    const where = citation.page !== null ? `, page ${citation.page}` : citation.section ? `, § ${citation.section}` : "";
    lines.push(`  [${citation.n}] ${citation.file}${where}`);
    lines.push(`      ${quoted(citation.quote)}`);
  }
  const changes = answer.check?.changes ?? [];
  if (changes.length > 0) {
    const verbs = { removed: "removed", repaired: "re-cited", trimmed: "shortened" } as const;
    lines.push("", "Checked against the library:");
    for (const change of changes) lines.push(`  ${verbs[change.outcome]}: ${quoted(change.text)}`, `      because ${change.reason}`);
  }
  const notes = answer.notes ?? [];
  if (notes.length > 0) lines.push("", "Notes:", ...notes.map((note) => `  - ${note}`));
  return `${lines.join("\n")}\n`;
}

/** Printed before a streamed draft: what follows is the model's text, not yet checked. */
export const checkingLine = "--- the model's draft, checking… ---";

interface AskOptions {
  json?: boolean;
  session?: string;
  stream?: boolean;
  image?: string[];
  rows?: boolean;
}

/** `--rows`: the rows behind each computed figure, recomputed from the stored table, as CSV. */
async function formatCitedRows(store: Store, answer: Answer): Promise<string> {
  const { openTableRows, rowsToCsv } = await import("../tables/table-rows.ts");
  const parts: string[] = [];
  for (const citation of answer.citations) {
    if (!citation.table) continue;
    const rows = await openTableRows(store, citation.table);
    if (!rows.ok) {
      parts.push(`[${citation.n}] ${rows.error.message}`);
      continue;
    }
    const where = `${rows.value.sheet ? `, sheet "${rows.value.sheet}"` : ""}${rows.value.page !== null ? `, page ${rows.value.page}` : ""}`;
    parts.push(`[${citation.n}] ${rows.value.fileName}${where}: ${rows.value.rows.length} rows where ${rows.value.filters}`, rowsToCsv(rows.value).trimEnd());
  }
  return parts.length === 0 ? "No computed figures in this answer: --rows shows the rows behind a figure from a data set.\n" : `${parts.join("\n")}\n`;
}

export function registerAskCommand(program: Command, context: CommandContext): void {
  program
    .command("ask")
    .description("answer a question from the library, every sentence cited to a file and page")
    .argument("<question...>", "the question")
    .option("--json", "print JSON for scripts")
    .option("--session <name>", "add the exchange to a named working session")
    .option("--stream", "print the language model's draft as it arrives, then the checked answer")
    // One path per --image (repeat it for several), so the question after it stays the question.
    .option("--image <path>", "attach a photo (JPEG, PNG, GIF, WebP) for a model that accepts images; repeat for several", (path: string, paths: string[]) => [...paths, path], [] as string[])
    .option("--rows", "after the answer, print the data-set rows behind each computed figure (CSV)")
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
      const [{ createAnswerer }, { sessionHistory }] = await Promise.all([import("../answer/create-answerer.ts"), import("../answer/follow-up.ts")]);
      // The draft goes to stdout, or to stderr when stdout carries JSON.
      const draftOut = options.json ? io.stderr : io.stdout;
      let streamed = false;
      let rowsText = "";
      const answer = await withStore(config, async (store) => {
        await warnWhenLibraryEmpty(store, io);
        const service = createAnswerer({ store, config, warn: (message) => io.stderr.write(`hearth: warning: ${message}\n`) });
        if (!service.ok) throw service.error;
        const history = options.session ? sessionHistory(await store.sessions.get(options.session)) : [];
        const result = await service.value.answer(question, {
          ...(images.length > 0 ? { images } : {}),
          ...(history.length > 0 ? { history } : {}),
          ...(options.session ? { session: options.session } : {}),
          ...(options.stream
            ? {
                onToken: (token: string) => {
                  if (!streamed) draftOut.write(`${checkingLine}\n\n`);
                  streamed = true;
                  draftOut.write(token);
                },
              }
            : {}),
        });
        if (!result.ok) throw result.error;
        if (options.session) await store.sessions.addExchange(options.session, { askedAt: new Date().toISOString(), answer: result.value });
        if (options.rows) rowsText = await formatCitedRows(store, result.value);
        return result.value;
      });
      if (streamed) draftOut.write("\n\n--- checked against the library ---\n\n");
      io.stdout.write(options.json ? `${answerJson(answer)}\n` : formatAnswer(answer));
      if (options.rows) io.stdout.write(`\nRows:\n${rowsText}`);
      if (options.session && !options.json) io.stderr.write(`(added to session "${options.session}")\n`);
    });
}
