/** `hearth embed`: vectors for the passages that lack them (new or changed documents, or all after a model change). */
import type { Command } from "commander";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { count } from "./wording.ts";


export function registerEmbedCommand(program: Command, context: CommandContext): void {
  program
    .command("embed")
    .description("embed the library's passages for hybrid search (only those without a vector for the configured model)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const config = context.config();
      const { embedNewPassages } = await import("../retrieval/embed-new-passages.ts");
      const summary = await withStore(config, (store) =>
        embedNewPassages(
          store,
          config,
          (message) => io.stderr.write(`hearth: warning: ${message}\n`),
          (done, total) => {
            if (!options.json) io.stderr.write(`\rembedded ${done} of ${total} passages`);
          },
        ),
      );
      if (!options.json) io.stderr.write("\n");
      if (!summary.ok) throw summary.error;
      const { embedded, total, model: id } = summary.value;
      io.stdout.write(
        options.json ? `${JSON.stringify({ model: id, embedded, total })}\n` : `${count(embedded, "passage")} embedded with ${id}; ${count(total, "passage")} in the library.\n`,
      );
    });
}
