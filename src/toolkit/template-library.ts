/**
 * Loads task templates: the built-in ones (src/toolkit/templates/*.json) and the user's (<dataDir>/templates/*.json).
 * A user template with a built-in's id replaces it. A bad user file is reported by name and reason, never used.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { TaskTemplate } from "./template-schema.ts";
import { taskTemplateSchema } from "./template-schema.ts";

export interface LoadedTemplate {
  template: TaskTemplate;
  origin: "built-in" | "user";
  path: string;
}

export interface TemplateLibrary {
  templates: LoadedTemplate[];
  /** User files that could not be used, each with its reason. */
  problems: HearthError[];
}

export const builtInTemplateFolder = fileURLToPath(new URL("./templates/", import.meta.url));

/**
 * Orders template ids. An id is lower-case letters, digits and hyphens (taskTemplateSchema), for which code-unit
 * order is the order localeCompare gives; localeCompare's first call loads ICU's collator, ~20 ms of every
 * `hearth ask` (the templates are listed before each question is answered).
 */
export function compareTemplateIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function userTemplateFolder(dataDir: string): string {
  return join(dataDir, "templates");
}

/** Reads and validates one template file. */
export function parseTemplateFile(path: string): Result<TaskTemplate> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return fail(new HearthError("INVALID_INPUT", `template ${path} is not readable JSON: ${describeError(error)}`, { subject: path, cause: error }));
  }
  const parsed = taskTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") || "(top level)" : "(top level)";
    return fail(
      new HearthError("INVALID_INPUT", `template ${path}: ${where}: ${issue?.message ?? "invalid"}`, { subject: path, cause: parsed.error }),
    );
  }
  return ok(parsed.data);
}

function jsonFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json") && !name.startsWith("."))
    .sort()
    .map((name) => join(folder, name));
}

// The built-in templates ship with Hearth and do not change while it runs: read and validated once. (Questions
// are checked against the templates before they are answered, so this is on every ask's path.)
let builtIns: LoadedTemplate[] | null = null;

/**
 * Where the compiled build keeps the built-in templates as taskTemplateSchema gives them (defaults filled in):
 * scripts/build.mjs validates every built-in file and writes them here, beside the compiled module, so a compiled
 * `hearth ask` reads one file instead of validating ~20 (~15 ms of every question). The sources have no such file:
 * a source checkout (and every test) validates the files each time.
 */
export const validatedBuiltInsFile = new URL("./built-in-templates.json", import.meta.url);

/** Every built-in template file, validated; a broken one throws (a bug in Hearth: the tests load every one). */
export function validateBuiltInTemplates(): LoadedTemplate[] {
  return jsonFiles(builtInTemplateFolder).map((path) => {
    const parsed = parseTemplateFile(path);
    if (!parsed.ok) throw parsed.error;
    return { template: parsed.value, origin: "built-in" as const, path };
  });
}

/** Validates the built-in templates and stores them for the compiled build (scripts/build.mjs calls this). */
export function writeValidatedBuiltIns(file: URL = validatedBuiltInsFile): void {
  const stored = validateBuiltInTemplates().map(({ template, path }) => ({ fileName: basename(path), template }));
  writeFileSync(file, `${JSON.stringify(stored)}\n`);
}

/** The built-in templates the build stored, or null where there is no such file (the sources). */
export function readValidatedBuiltIns(file: URL = validatedBuiltInsFile): LoadedTemplate[] | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const stored = JSON.parse(text) as { fileName: string; template: TaskTemplate }[];
  return stored.map(({ fileName, template }) => ({ template, origin: "built-in" as const, path: join(builtInTemplateFolder, fileName) }));
}

function builtInTemplates(): LoadedTemplate[] {
  builtIns ??= readValidatedBuiltIns() ?? validateBuiltInTemplates();
  return builtIns;
}

export function loadTemplateLibrary(dataDir: string | null): TemplateLibrary {
  const byId = new Map<string, LoadedTemplate>();
  const problems: HearthError[] = [];
  for (const loaded of builtInTemplates()) byId.set(loaded.template.id, loaded);
  if (dataDir !== null) {
    for (const path of jsonFiles(userTemplateFolder(dataDir))) {
      const parsed = parseTemplateFile(path);
      if (!parsed.ok) problems.push(parsed.error);
      else byId.set(parsed.value.id, { template: parsed.value, origin: "user", path });
    }
  }
  return { templates: [...byId.values()].sort((left, right) => compareTemplateIds(left.template.id, right.template.id)), problems };
}

export function findTemplate(library: TemplateLibrary, id: string): Result<LoadedTemplate> {
  const wanted = id.trim().toLowerCase();
  const found = library.templates.find((loaded) => loaded.template.id === wanted);
  if (found) return ok(found);
  return fail(
    new HearthError("NOT_FOUND", `no template called "${id}"; templates: ${library.templates.map((loaded) => loaded.template.id).join(", ")}`, {
      subject: id,
    }),
  );
}
