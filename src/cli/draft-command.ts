/**
 * `hearth draft <template> [--la NAME] [--about TEXT] [--age-range A-B] [--beds N] [--specialism TEXT] [-o FILE]`: a
 * strategy document from a task template (the home's options fall back to the organisation profile), every
 * point cited to a file and page like an answer. With a language model configured the model writes it up from the
 * cited evidence and Hearth checks it (`--no-model` keeps the offline draft). `--session` keeps it with a working
 * session for `hearth report`.
 */
import { writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import type { DraftOptions } from "../toolkit/draft-engine.ts";
import { answerJson, formatAnswer } from "./ask-command.ts";
import { warnWhenLibraryEmpty } from "./empty-library.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

interface DraftCommandOptions {
  la?: string;
  about?: string;
  output?: string;
  session?: string;
  json?: boolean;
  /** commander's --no-model: false keeps the offline draft. */
  model?: boolean;
  ageRange?: string;
  beds?: string;
  specialism?: string;
}

/** "11-17", "11 to 17" -> "11 to 17"; anything else as given. */
function ageRangeText(value: string): string {
  const match = /^\s*(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*$/.exec(value);
  return match ? `${match[1]} to ${match[2]}` : value.trim();
}

export function registerDraftCommand(program: Command, context: CommandContext): void {
  program
    .command("draft")
    .description("draft a document from a template (see: hearth templates), cited to file and page")
    .argument("<template>", "template id, e.g. la-commissioner-email")
    .option("--la <name>", "the local authority it is for")
    .option("--about <text>", "what it is about (a proposed home, a focus)")
    .option("--age-range <range>", "ages the home cares for, e.g. 11-17 (else the profile's)")
    .option("--beds <n>", "number of beds (else the profile's)")
    .option("--specialism <text>", "the home's specialism, e.g. SEMH (else the profile's specialisms)")
    .option("-o, --output <file>", "write it to a file: .md, .docx or .pdf")
    .option("--session <name>", "add the draft to a named working session")
    .option("--json", "print JSON for scripts")
    .option("--no-model", "draft offline from the library even when a language model is configured")
    .action(async (id: string, options: DraftCommandOptions) => {
      const { io } = context;
      const config = context.config();
      const [{ parseReportFormat, renderReport }, { createAnswerer }, { draftDocument, draftWriterFor }, { findTemplate, loadTemplateLibrary }] = await Promise.all([
        import("../report/report.ts"),
        import("../answer/create-answerer.ts"),
        import("../toolkit/model-draft.ts"),
        import("../toolkit/template-library.ts"),
      ]);
      const library = loadTemplateLibrary(config.dataDir);
      for (const problem of library.problems) io.stderr.write(`hearth: warning: ${problem.message}\n`);
      const found = findTemplate(library, id);
      if (!found.ok) throw found.error;
      const format = options.output ? parseReportFormat(extname(options.output).slice(1).toLowerCase() || "md") : undefined;
      if (format && !format.ok) throw format.error;
      if (options.beds !== undefined && !/^\d{1,3}$/.test(options.beds.trim())) {
        throw new HearthError("INVALID_INPUT", `--beds: a whole number of beds (got "${options.beds}")`, { subject: "--beds" });
      }
      const draftOptions: DraftOptions = {
        ...(options.ageRange ? { ageRange: ageRangeText(options.ageRange) } : {}),
        ...(options.beds ? { beds: options.beds.trim() } : {}),
        ...(options.specialism ? { specialism: options.specialism.trim() } : {}),
      };
      const draft = await withStore(config, async (store) => {
        await warnWhenLibraryEmpty(store, io);
        let writer = null;
        if (options.model !== false && config.llm.provider !== "extractive") {
          const service = createAnswerer({ store, config, warn: (message) => io.stderr.write(`hearth: warning: ${message}\n`) });
          if (!service.ok) throw service.error;
          writer = draftWriterFor(service.value);
          if (writer && !options.json) io.stderr.write(`(drafting with ${writer.modelId}; --no-model drafts offline)\n`);
        }
        const result = await draftDocument({ store, writer }, { template: found.value.template, la: options.la, about: options.about, options: draftOptions });
        if (!result.ok) throw result.error;
        if (options.session) await store.sessions.addExchange(options.session, { askedAt: new Date().toISOString(), answer: result.value });
        return result.value;
      });
      if (options.output && format?.ok) {
        const path = resolve(options.output);
        const bytes = await renderReport({ name: draft.question, createdAt: new Date().toISOString(), exchanges: [{ askedAt: new Date().toISOString(), answer: draft }] }, format.value);
        await writeFile(path, bytes);
        io.stdout.write(`wrote ${path} (${draft.citations.length} citation${draft.citations.length === 1 ? "" : "s"})\n`);
      } else {
        io.stdout.write(options.json ? `${answerJson(draft)}\n` : formatAnswer(draft));
      }
      if (options.session && !options.json) io.stderr.write(`(added to session "${options.session}")\n`);
    });
}
