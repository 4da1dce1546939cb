/** `hearth remove <file...>`: by id, file name or path. */
import { resolve } from "node:path";
import type { Command } from "commander";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

export function registerRemoveCommand(program: Command, context: CommandContext): void {
  program
    .command("remove")
    .description("remove documents by id, file name or path")
    .argument("<documents...>", "ids, file names or paths")
    .action(async (targets: string[]) => {
      const { io } = context;
      await withStore(context.config(), async (store) => {
        const documents = await store.documents.list();
        for (const target of targets) {
          const matches = documents.filter(
            (document) =>
              String(document.id) === target || document.fileName === target || document.sourcePath === resolve(target),
          );
          if (matches.length === 0) {
            io.stderr.write(`not found ${target}: no document with that id, name or path (see: hearth list)\n`);
            context.setExitCode(1);
            continue;
          }
          for (const document of matches) {
            await store.documents.remove(document.id);
            io.stdout.write(`removed   ${document.fileName}\n`);
          }
        }
      });
    });
}
