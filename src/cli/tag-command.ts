/**
 * `hearth tag <file> --authority KIND --date DATE --author NAME --about LA --title TEXT`: what a source is, who wrote
 * it, which council it is about and when it dates from. Search prefers higher authority and newer sources and finds
 * a document by its council; answers attribute a council's own words to it and note when a source's period has
 * ended. Without options it shows what is known, guessed values marked with "?".
 */
import type { Command } from "commander";
import type { CommandContext } from "./program.ts";
import type { TagOptions } from "./tag-action.ts";

export function registerTagCommand(program: Command, context: CommandContext): void {
  let kindsHelp = "";
  // The kinds come from the authority and identity modules, loaded once `tag` is the command (in time for --help).
  program.hook("preSubcommand", async (_program, subcommand) => {
    if (subcommand.name() !== "tag") return;
    const [{ authorityKinds }, { authorKinds }] = await Promise.all([import("../authority/source-authority.ts"), import("../identity/document-identity.ts")]);
    kindsHelp = `\nKinds for --authority: ${authorityKinds.join(", ")}\nKinds for --author-kind: ${authorKinds.join(", ")}\n`;
  });
  program
    .command("tag")
    .description("set a document's source authority, author, council and date (without options: show every document's)")
    .argument("[file]", "file name or path of an ingested document")
    .option("--authority <kind>", "the kind of source (the kinds are listed under --help)")
    .option("--date <date>", "a year (2019), a day (2019-06-30) or a period (2011-2015)")
    .option("--title <text>", "the document's title")
    .option("--author <name>", 'who wrote it ("Nottinghamshire County Council", "Ofsted", your organisation); "none" to clear')
    .option("--author-kind <kind>", "what the author is (guessed from the name otherwise; the kinds are listed under --help)")
    .option("--about <la>", 'the local authority the document is about ("Blackpool"); "none" for national documents')
    .option("--json", "print JSON for scripts")
    .addHelpText("after", () => kindsHelp)
    .action(async (file: string | undefined, options: TagOptions) => {
      const { runTag } = await import("./tag-action.ts");
      await runTag(context, file, options);
    });
}
