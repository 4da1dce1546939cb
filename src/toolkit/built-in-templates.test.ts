/**
 * The compiled build stores the built-in templates validated (scripts/build.mjs, writeValidatedBuiltIns) and reads
 * that one file instead of validating each template on every question: what it reads back must be exactly what
 * validating the files gives, and a stored template must survive JSON (no value that JSON would change).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadTemplateLibrary, readValidatedBuiltIns, validateBuiltInTemplates, validatedBuiltInsFile, writeValidatedBuiltIns } from "./template-library.ts";

describe("the built-in templates stored for the compiled build", () => {
  it("read back exactly as validating the template files gives them, in the same order", () => {
    const validated = validateBuiltInTemplates();
    expect(validated.length).toBeGreaterThan(10);
    const file = pathToFileURL(join(mkdtempSync(join(tmpdir(), "hearth-templates-")), "built-in-templates.json"));
    expect(readValidatedBuiltIns(file)).toBeNull();
    writeValidatedBuiltIns(file);
    expect(readValidatedBuiltIns(file)).toStrictEqual(validated);
  });

  it("are not stored beside the sources, so a source checkout validates the files", () => {
    expect(readValidatedBuiltIns(validatedBuiltInsFile)).toBeNull();
    expect(loadTemplateLibrary(null).templates.filter((loaded) => loaded.origin === "built-in")).toStrictEqual(validateBuiltInTemplates());
  });
});
