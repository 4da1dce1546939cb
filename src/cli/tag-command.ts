/**
 * `hearth tag <file> --authority KIND --date YEAR`: how authoritative a source is and when it dates from. Search
 * prefers higher authority and newer sources; answers note when a source's period has ended.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import type { AuthorityKind, SourceAuthority } from "../authority/source-authority.ts";
import { HearthError } from "../errors/hearth-error.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

function describe(fileName: string, authority: SourceAuthority, authorityLabels: Record<AuthorityKind, string>): string {
  const when = authority.period ? `${authority.period.from}-${authority.period.to}` : authority.year !== null ? String(authority.year) : "no date";
  return `${fileName}: ${authorityLabels[authority.kind]}, ${when} (${authority.source})`;
}

export function registerTagCommand(program: Command, context: CommandContext): void {
  let kindsHelp = "";
  // The kinds come from the authority module, loaded once `tag` is the command (in time for `hearth tag --help`).
  program.hook("preSubcommand", async (_program, subcommand) => {
    if (subcommand.name() !== "tag") return;
    const { authorityKinds } = await import("../authority/source-authority.ts");
    kindsHelp = `\nKinds for --authority: ${authorityKinds.join(", ")}\n`;
  });
  program
    .command("tag")
    .description("set a document's source authority and date (without options: show every document's)")
    .argument("[file]", "file name or path of an ingested document")
    .option("--authority <kind>", "the kind of source (the kinds are listed under --help)")
    .option("--date <year>", "a year (2019), a date (2019-06-30) or a period (2011-2015)")
    .option("--json", "print JSON for scripts")
    .addHelpText("after", () => kindsHelp)
    .action(async (file: string | undefined, options: { authority?: string; date?: string; json?: boolean }) => {
      const { io } = context;
      const { authorityLabels, describeSourceAuthority, parseAuthorityDate, parseAuthorityKind, tagSourceAuthority } = await import("../authority/source-authority.ts");
      let kind: AuthorityKind | undefined;
      if (options.authority !== undefined) {
        const parsed = parseAuthorityKind(options.authority);
        if (!parsed.ok) throw parsed.error;
        kind = parsed.value;
      }
      const date = options.date !== undefined ? parseAuthorityDate(options.date) : undefined;
      if (date && !date.ok) throw date.error;
      const rows = await withStore(context.config(), (store) => {
        const documents = store.listDocuments();
        if (file === undefined) return documents.map((document) => ({ fileName: document.fileName, authority: describeSourceAuthority(store, document) }));
        const name = basename(file);
        const document = documents.find((candidate) => candidate.fileName === name || candidate.sourcePath === file);
        if (!document) throw new HearthError("NOT_FOUND", `no ingested document called "${name}" (see: hearth list)`, { subject: file });
        if (kind === undefined && date === undefined) return [{ fileName: document.fileName, authority: describeSourceAuthority(store, document) }];
        const authority = tagSourceAuthority(store, document.fileName, {
          ...(kind ? { kind } : {}),
          ...(date?.ok ? { year: date.value.year, period: date.value.period } : {}),
        });
        return [{ fileName: document.fileName, authority }];
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ documents: rows.map((row) => ({ file: row.fileName, ...row.authority })) })}\n`);
        return;
      }
      for (const row of rows) io.stdout.write(`${describe(row.fileName, row.authority, authorityLabels)}\n`);
    });
}
