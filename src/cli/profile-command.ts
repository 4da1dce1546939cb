/** `hearth profile set <field> <value>` / `hearth profile show`: the organisation profile every template uses. */
import type { Command } from "commander";
import { formatProfile, getProfile, profileFieldDescriptions, profileFields, setProfileField, unsetProfileField } from "../profile/organisation-profile.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

export function registerProfileCommand(program: Command, context: CommandContext): void {
  const profile = program.command("profile").description("the organisation profile used by every template");
  profile
    .command("show")
    .description("show the profile")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const value = await withStore(context.config(), (store) => getProfile(store));
      context.io.stdout.write(options.json ? `${JSON.stringify({ profile: value })}\n` : formatProfile(value));
    });
  profile
    .command("set")
    .description(`set one field: ${profileFields.join(", ")}`)
    .argument("<field>", "field name")
    .argument("<value...>", "value (lists: comma-separated)")
    .addHelpText("after", `\nFields:\n${profileFields.map((field) => `  ${field.padEnd(17)} ${profileFieldDescriptions[field]}`).join("\n")}\n`)
    .action(async (field: string, valueWords: string[]) => {
      const result = await withStore(context.config(), (store) => setProfileField(store, field, valueWords.join(" ")));
      if (!result.ok) throw result.error;
      context.io.stdout.write(formatProfile(result.value));
    });
  profile
    .command("unset")
    .description("clear one field")
    .argument("<field>", "field name")
    .action(async (field: string) => {
      const result = await withStore(context.config(), (store) => unsetProfileField(store, field));
      if (!result.ok) throw result.error;
      context.io.stdout.write(formatProfile(result.value));
    });
}
