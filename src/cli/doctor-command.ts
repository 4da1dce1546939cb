/** `hearth doctor`: checks the store's integrity and that the OCR tool is there. */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { count } from "./wording.ts";

export function registerDoctorCommand(program: Command, context: CommandContext): void {
  program
    .command("doctor")
    .description("check the library's integrity and the tools Hearth uses")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const config = context.config();
      const { tesseractAvailable } = await import("../loaders/ocr.ts");
      const ocr = await tesseractAvailable(config.ocr.command);
      const report = await withStore(config, async (store) => {
        const integrity = await store.documents.checkIntegrity();
        const movedFiles = (await store.documents.list())
          .filter((document) => !existsSync(document.sourcePath))
          .map((document) => document.fileName);
        return { ...integrity, movedFiles };
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ ...report, dataDir: config.dataDir, ocr })}\n`);
      } else {
        io.stdout.write(`data folder: ${config.dataDir}\n`);
        io.stdout.write(`library:     ${count(report.documents, "document")}, ${count(report.chunks, "passage")}\n`);
        io.stdout.write(`integrity:   ${report.ok ? "ok" : "PROBLEMS FOUND"}\n`);
        for (const problem of report.problems) io.stdout.write(`  - ${problem}\n`);
        if (report.movedFiles.length > 0) {
          io.stdout.write(`note:        ${count(report.movedFiles.length, "source file")} no longer at their ingest path (their text is still stored): ${report.movedFiles.join(", ")}\n`);
        }
        io.stdout.write(
          `ocr:         ${ocr ? `${config.ocr.command} found` : `${config.ocr.command} not found: scanned pages cannot be read (apt-get install tesseract-ocr)`}\n`,
        );
      }
      if (!report.ok) context.setExitCode(1);
    });
}
