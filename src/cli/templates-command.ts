/** `hearth templates`: the task templates available (built-in and the user's own in <data>/templates/). */
import type { Command } from "commander";
import type { CommandContext } from "./program.ts";

export function registerTemplatesCommand(program: Command, context: CommandContext): void {
  program
    .command("templates")
    .description("list the templates hearth draft can fill (add your own as JSON in <data>/templates/)")
    .option("--json", "print JSON for scripts")
    .action(async (options: { json?: boolean }) => {
      const { io } = context;
      const { loadTemplateLibrary, userTemplateFolder } = await import("../toolkit/template-library.ts");
      const config = context.config();
      const library = loadTemplateLibrary(config.dataDir);
      for (const problem of library.problems) {
        io.stderr.write(`hearth: warning: ${problem.message}\n`);
        context.setExitCode(1);
      }
      if (options.json) {
        const templates = library.templates.map(({ template, origin, path }) => ({
          id: template.id,
          version: template.version,
          title: template.title,
          description: template.description,
          inputs: template.inputs,
          group: template.group ?? null,
          examples: template.intents.examples,
          origin,
          path,
        }));
        io.stdout.write(`${JSON.stringify({ templates })}\n`);
        return;
      }
      const groups = ["Registering a home", "Running a home", "Working with commissioners", "Your templates"];
      for (const group of groups) {
        const members = library.templates.filter(({ template }) => (template.group ?? "Your templates") === group);
        if (members.length === 0) continue;
        io.stdout.write(`${group}\n`);
        for (const { template, origin } of members) {
          const inputs = [template.inputs.la !== "unused" ? `--la${template.inputs.la === "required" ? " (required)" : ""}` : "", template.inputs.about !== "unused" ? "--about" : ""]
            .filter((part) => part.length > 0)
            .join(" ");
          io.stdout.write(`  ${template.id}  v${template.version}${origin === "user" ? " (yours)" : ""}  ${template.title}${inputs ? `  [${inputs}]` : ""}\n`);
          const example = template.intents.examples[0];
          if (example) io.stdout.write(`      ask: "${example}"\n`);
        }
      }
      io.stdout.write(`\nYour own templates: ${userTemplateFolder(config.dataDir)}/*.json\n`);
    });
}
