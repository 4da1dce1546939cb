/** `hearth list`: what is in the library. */
import type { Command } from "commander";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { count, unitWord } from "./wording.ts";

export function registerListCommand(program: Command, context: CommandContext): void {
  program
    .command("list")
    .description("list the documents in the library")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { describeDocumentIdentity, describeIdentityLine, identitySummary } = await import("../identity/document-identity.ts");
      const { io } = context;
      const documents = await withStore(context.config(), async (store) =>
        Promise.all((await store.documents.list()).map(async (document) => ({ ...document, identity: await describeDocumentIdentity(store, document) }))),
      );
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({
            documents: documents.map((document) => ({
              id: document.id,
              file: document.fileName,
              path: document.sourcePath,
              format: document.format,
              title: document.title,
              units: document.unitCount,
              passages: document.chunkCount,
              bytes: document.byteSize,
              hash: document.contentHash,
              warnings: document.warnings,
              ingestedAt: document.ingestedAt,
              identity: identitySummary(document.identity),
            })),
          })}\n`,
        );
        return;
      }
      if (documents.length === 0) {
        io.stdout.write("The library is empty. Add documents with: hearth ingest <folder>\n");
        return;
      }
      for (const document of documents) {
        const warnings = document.warnings.length > 0 ? `, ${count(document.warnings.length, "warning")}` : "";
        io.stdout.write(
          `${String(document.id).padStart(4)}  ${document.fileName}  [${document.format}, ${count(document.unitCount, unitWord(document.format))}, ${count(document.chunkCount, "passage")}${warnings}]\n`,
        );
        io.stdout.write(`        ${describeIdentityLine(document.identity)}\n`);
      }
      io.stdout.write(`${count(documents.length, "document")}; "?" marks a value read from the document (change it with hearth tag)\n`);
    });
}
