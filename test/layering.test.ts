/** The lint rule that keeps src/'s layers importing only downward (eslint.config.js, docs/architecture.md). */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./support/corpus.ts";

// The project's own configuration, less its type-aware part: these probes concern one import rule, and the type-aware
// rules would build a TypeScript program of the whole project first (~15 s of CPU that `npm run lint` spends anyway).
const eslint = new ESLint({
  cwd: repositoryRoot,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { "@typescript-eslint/no-floating-promises": "off", "@typescript-eslint/no-misused-promises": "off" },
  },
});

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === "@typescript-eslint/no-restricted-imports").map((message) => message.message);
}

describe("layering lint rule", () => {
  it("refuses a run-time import from a higher layer", async () => {
    const errors = await layeringErrors("src/loaders/probe.ts", 'import { openSqliteStore } from "../store/sqlite-store.ts";\nexport const open = openSqliteStore;\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("the loaders layer may not import this at run time");
  }, 60_000);

  it("allows imports downward, type-only imports upward, and the types.ts contracts", async () => {
    const code = [
      'import { HearthError } from "../errors/hearth-error.ts";',
      'import { chunkDocument } from "../chunking/chunk.ts";',
      'import type { Answer } from "../answer/types.ts";',
      'import type { Searcher } from "../retrieval/search.ts";',
      "export const pieces: unknown[] = [HearthError, chunkDocument];",
      "export type Both = Answer | Searcher;",
      "",
    ].join("\n");
    expect(await layeringErrors("src/store/probe.ts", code)).toEqual([]);
  }, 60_000);

  it("keeps the answer layer off the toolkit, except the application service", async () => {
    const code = 'import { draftDocument } from "../toolkit/model-draft.ts";\nexport const draft = draftDocument;\n';
    expect(await layeringErrors("src/answer/probe.ts", code)).toHaveLength(1);
    expect(await layeringErrors("src/answer/create-answerer.ts", code)).toEqual([]);
  }, 60_000);
});
