/**
 * `hearth profile set <field> <value>` / `hearth profile show`: the organisation profile every template uses.
 * On the command line fields are written kebab-case (`provision-type`), as options are; camelCase
 * (`provisionType`, as JSON and the API spell them) is accepted too.
 */
import type { Command } from "commander";
import type { OrganisationProfile, ProfileField } from "../profile/organisation-profile.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

const profileModule = () => import("../profile/organisation-profile.ts");

/** provisionType → provision-type: the spelling the CLI shows. */
export function kebabFieldName(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The profile as `hearth profile show` prints it: one field a line, kebab-case names, unset fields said so. */
export function formatProfileForCli(profile: OrganisationProfile, fields: readonly ProfileField[]): string {
  const width = Math.max(...fields.map((field) => kebabFieldName(field).length)) + 2;
  return `${fields
    .map((field) => {
      const value = profile[field];
      const shown = value === undefined ? "(not set)" : Array.isArray(value) ? value.join(", ") : value.replace(/\n/g, " / ");
      return `${kebabFieldName(field).padEnd(width)}${shown}`;
    })
    .join("\n")}\n`;
}

export function registerProfileCommand(program: Command, context: CommandContext): void {
  const profile = program.command("profile").description("the organisation profile used by every template");
  let fieldHelp = "";
  // The field list comes from the profile module, loaded only once a profile subcommand is chosen (so `hearth
  // --version` does not pay for it) and still in time for `hearth profile set --help`.
  profile.hook("preSubcommand", async () => {
    const { profileFieldDescriptions, profileFields } = await profileModule();
    const width = Math.max(...profileFields.map((field) => kebabFieldName(field).length)) + 2;
    fieldHelp = `\nFields:\n${profileFields.map((field) => `  ${kebabFieldName(field).padEnd(width)}${profileFieldDescriptions[field]}`).join("\n")}\n`;
  });
  profile
    .command("show")
    .description("show the profile")
    .option("--json", "print JSON for scripts (camelCase field names, as the API)")
    .action(async (options: { json?: boolean }) => {
      const { getProfile, profileFields } = await profileModule();
      const value = await withStore(context.config(), (store) => getProfile(store));
      context.io.stdout.write(options.json ? `${JSON.stringify({ profile: value })}\n` : formatProfileForCli(value, profileFields));
    });
  profile
    .command("set")
    .description("set one field (see: hearth profile set --help)")
    .argument("<field>", "field name, e.g. provision-type (provisionType also accepted)")
    .argument("<value...>", "value (lists: comma-separated)")
    .addHelpText("after", () => fieldHelp)
    .action(async (field: string, valueWords: string[]) => {
      const { setProfileField, profileFields } = await profileModule();
      const result = await withStore(context.config(), (store) => setProfileField(store, field, valueWords.join(" ")));
      if (!result.ok) throw kebabError(result.error, profileFields);
      context.io.stdout.write(formatProfileForCli(result.value, profileFields));
    });
  profile
    .command("unset")
    .description("clear one field")
    .argument("<field>", "field name, e.g. contact-role")
    .action(async (field: string) => {
      const { unsetProfileField, profileFields } = await profileModule();
      const result = await withStore(context.config(), (store) => unsetProfileField(store, field));
      if (!result.ok) throw kebabError(result.error, profileFields);
      context.io.stdout.write(formatProfileForCli(result.value, profileFields));
    });
}

/** The profile module names fields camelCase in its messages; the CLI shows them as the user types them. */
function kebabError<E extends Error>(error: E, fields: readonly string[]): E {
  const names = new Set<string>(fields);
  error.message = error.message
    .replace(/(?<=fields: )[\w, ]+/, (list) => list.split(", ").map(kebabFieldName).join(", "))
    .replace(/^profile (\w+):/, (whole, field: string) => (names.has(field) ? `profile ${kebabFieldName(field)}:` : whole));
  return error;
}
