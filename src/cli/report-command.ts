/** `hearth report <session> --format md|docx|pdf -o FILE`: a session as a report a board can read. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command("report")
    .description("export a working session as Markdown (seed shape), DOCX or PDF")
    .argument("<session>", "session name (see: hearth sessions)")
    .option("-f, --format <format>", "md, docx or pdf", "md")
    .option("-o, --output <file>", "where to write it (Markdown goes to standard output when omitted)")
    .action(async (name: string, options: { format: string; output?: string }) => {
      const { io } = context;
      const { parseReportFormat, renderReport } = await import("../report/report.ts");
      const format = parseReportFormat(options.format);
      if (!format.ok) throw format.error;
      const session = await withStore(context.config(), (store) => store.sessions.get(name));
      if (!session) {
        throw new HearthError("NOT_FOUND", `no session called "${name}" (see: hearth sessions)`, { subject: name });
      }
      if (!options.output && format.value !== "md") {
        throw new HearthError("INVALID_INPUT", `-o FILE is required for --format ${format.value}`, { subject: "--output" });
      }
      const bytes = await renderReport(session, format.value);
      if (!options.output) {
        io.stdout.write(bytes);
        return;
      }
      const path = resolve(options.output);
      await writeFile(path, bytes);
      io.stdout.write(`wrote ${path} (${session.exchanges.length} exchange${session.exchanges.length === 1 ? "" : "s"}, ${format.value})\n`);
    });
}
