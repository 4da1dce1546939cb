/** `hearth search "<query>"`: passages with file, page, section and score. */
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import { warnWhenLibraryEmpty } from "./empty-library.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { parsePositiveInteger } from "./program.ts";

export function registerSearchCommand(program: Command, context: CommandContext): void {
  program
    .command("search")
    .description("search the library; every hit names its file and page")
    .argument("<query...>", "what to look for")
    .option("-k, --limit <n>", "how many results", parsePositiveInteger("-k"), 10)
    .option("--json", "print JSON for scripts")
    .option("--explain", "show how each result was scored")
    .option("--file <name>", "search only this document (its file name; repeat for several)", (name: string, names: string[]) => [...names, name], [])
    .action(async (queryWords: string[], options: { limit: number; json?: boolean; explain?: boolean; file: string[] }) => {
      const { io } = context;
      const query = queryWords.join(" ");
      const [{ createSearcher }, { withDocumentIdentity }, { withTableRows }] = await Promise.all([
        import("../retrieval/search.ts"),
        import("../identity/identity-search.ts"),
        import("../tables/table-search.ts"),
      ]);
      const results = await withStore(context.config(), async (store) => {
        if (await warnWhenLibraryEmpty(store, io)) return [];
        let documentIds: number[] | undefined;
        if (options.file.length > 0) {
          const documents = await store.documents.list();
          documentIds = options.file.map((name) => {
            const found = documents.find((document) => document.fileName === name) ?? documents.find((document) => document.fileName.toLowerCase() === name.toLowerCase());
            if (!found) throw new HearthError("INVALID_INPUT", `--file "${name}": no document of that name in the library (see hearth list)`, { subject: "--file" });
            return found.id;
          });
        }
        // A data-set question's evidence row leads, as hearth ask computes its figure from that row.
        return withTableRows(withDocumentIdentity(createSearcher(store), store), store).search(query, { limit: options.limit, ...(documentIds ? { documentIds } : {}) });
      });
      if (options.json) {
        const payload = {
          results: results.map((result) => ({
            file: result.fileName,
            page: result.page,
            section: result.section,
            text: result.text,
            score: Number(result.score.toFixed(6)),
          })),
        };
        io.stdout.write(`${JSON.stringify(payload)}\n`);
        return;
      }
      if (results.length === 0) {
        io.stdout.write(`No passages match "${query}".\n`);
        return;
      }
      results.forEach((result, index) => {
        const where = result.page !== null ? `${result.format === "pptx" ? "slide" : "page"} ${result.page}` : "";
        const section = result.section ? ` § ${result.section}` : "";
        io.stdout.write(`${index + 1}. ${result.fileName}${where ? `, ${where}` : ""}${section}  (score ${result.score.toFixed(3)})\n`);
        const excerpt = result.text.replace(/\s+/g, " ").trim();
        io.stdout.write(`   ${excerpt.length > 400 ? `${excerpt.slice(0, 400)}…` : excerpt}\n`);
        if (options.explain) {
          const { bm25, coverage, proximity, figures } = result.signals;
          io.stdout.write(`   bm25 ${bm25.toFixed(2)} coverage ${coverage.toFixed(2)} proximity ${proximity.toFixed(2)} figures ${figures}\n`);
        }
      });
    });
}
