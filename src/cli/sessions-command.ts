/** `hearth sessions`: the working sessions kept in the store. */
import type { Command } from "commander";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";
import { count, humanDate } from "./wording.ts";

export function registerSessionsCommand(program: Command, context: CommandContext): void {
  const sessions = program
    .command("sessions")
    .description("list working sessions (add to one with: hearth ask --session NAME)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const summaries = await withStore(context.config(), (store) => store.sessions.list());
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ sessions: summaries })}\n`);
        return;
      }
      if (summaries.length === 0) {
        io.stdout.write('No sessions yet. Start one with: hearth ask --session "Board briefing" "<question>"\n');
        return;
      }
      for (const summary of summaries) {
        io.stdout.write(`${summary.name}  (${count(summary.exchangeCount, "exchange")}, last ${humanDate(summary.updatedAt)})\n`);
      }
    });
  sessions
    .command("remove")
    .description("delete a session")
    .argument("<name>", "session name")
    .action(async (name: string) => {
      const removed = await withStore(context.config(), (store) => store.sessions.remove(name));
      if (removed) context.io.stdout.write(`removed session "${name}"\n`);
      else {
        context.io.stderr.write(`not found: no session called "${name}" (see: hearth sessions)\n`);
        context.setExitCode(1);
      }
    });
}
