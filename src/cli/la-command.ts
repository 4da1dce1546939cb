/**
 * `hearth la profile "<LA>"` and `hearth la compare`: figures about local authorities from their documents in the
 * library, each with file, page and quote; fields no document states are shown as not found.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";

const market = () => import("../market/la-profiles.ts");
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

interface CompareOptions {
  json?: boolean;
  csv?: boolean;
  output?: string;
}

export function registerLaCommand(program: Command, context: CommandContext): void {
  const la = program.command("la").description("local authority market intelligence from the library");
  la
    .command("list")
    .description("the local authorities the library holds documents about")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { localAuthorityDocuments } = await market();
      const byAuthority = await withStore(context.config(), (store) => localAuthorityDocuments(store));
      const authorities = [...byAuthority.entries()]
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([name, documents]) => ({ name, files: documents.map((document) => document.fileName) }));
      if (options.json) {
        context.io.stdout.write(`${JSON.stringify({ authorities })}\n`);
        return;
      }
      if (authorities.length === 0) context.io.stdout.write("No document in the library is about a local authority.\n");
      for (const authority of authorities) context.io.stdout.write(`${authority.name}: ${authority.files.join("; ")}\n`);
    });
  la.command("profile")
    .description("one authority's figures, each with file, page and quote")
    .argument("<name>", 'local authority, e.g. "Nottinghamshire"')
    .option("--json", "print JSON for scripts")
    .action(async (name: string, options: { json?: boolean }) => {
      const { buildLaProfile, compareAuthorities, profileText } = await market();
      const profile = await withStore(context.config(), (store) => buildLaProfile(store, name));
      if (!profile) {
        throw new HearthError("NOT_FOUND", `the library holds no document about "${name}" (see: hearth la list)`, { subject: name });
      }
      context.io.stdout.write(options.json ? `${JSON.stringify(compareAuthorities([profile]))}\n` : profileText(profile));
    });
  la.command("compare")
    .description("a table of the same figures across authorities (Markdown; --csv or --json)")
    .argument("[names...]", "authorities to compare (default: all in the library)")
    .option("--json", "print JSON: {authorities:[{name, figures:[{field, value, date, file, page, quote}]}]}")
    .option("--csv", "print CSV, one line per figure")
    .option("-o, --output <file>", "write to a file instead of standard output")
    .action(async (names: string[], options: CompareOptions) => {
      const { buildLaProfiles, compareAuthorities, comparisonCsv, comparisonMarkdown } = await market();
      const profiles = await withStore(context.config(), (store) => buildLaProfiles(store, names.length > 0 ? names : undefined));
      if (names.length > 0) {
        const missing = names.filter((name) => !profiles.some((profile) => profile.name.toLowerCase() === name.trim().toLowerCase()));
        const unmatched = missing.filter((name) => profiles.length < names.length && !profiles.some((profile) => name.toLowerCase().includes(profile.name.toLowerCase())));
        for (const name of unmatched) context.io.stderr.write(`hearth: warning: the library holds no document about "${name}"\n`);
      }
      const comparison = compareAuthorities(profiles);
      const text = options.json ? `${JSON.stringify(comparison)}\n` : options.csv ? comparisonCsv(comparison) : comparisonMarkdown(comparison);
      if (options.output) {
        const path = resolve(options.output);
        await writeFile(path, text);
        context.io.stdout.write(`wrote ${path} (${profiles.length} authorit${profiles.length === 1 ? "y" : "ies"})\n`);
      } else {
        context.io.stdout.write(text);
      }
    });
}
