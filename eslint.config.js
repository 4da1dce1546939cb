// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, bottom first: a folder may import (values) from its own layer and the layers below, never
 * from above. Type-only imports are free (a contract is shared by the layers that meet at it), and so are the
 * `types.ts` contracts themselves. docs/architecture.md describes the layers.
 */
const layers = [
  { name: "foundation", folders: ["text", "errors", "config", "privacy", "providers"] },
  { name: "loaders", folders: ["loaders", "chunking"] },
  // The organisation profile is a typed store setting: it needs only the store's contract.
  { name: "store", folders: ["store", "profile"] },
  // A document's identity (author, subject council) is read at ingest and used by search and answers.
  { name: "retrieval", folders: ["retrieval", "authority", "identity"] },
  // Typed tables answer data-set questions beside the extractive answerer.
  { name: "answer", folders: ["answer", "tables"] },
  // Ingest writes documents, their identity and their tables: it sits above what it records.
  { name: "toolkit", folders: ["toolkit", "market", "report", "ingest"] },
  { name: "interfaces", folders: ["cli", "server"] },
];

/** The no-restricted-imports entry that keeps a layer from importing any folder in `above` at run time. */
function importsOnlyDownward(layerName, above) {
  return {
    // The local authority name list is reference data that every layer may read.
    regex: `^(?:\\.\\./)+(?:${above.join("|")})/(?!types\\.ts$|local-authority-names\\.ts$)`,
    allowTypeImports: true,
    message: `Layers import only downward (docs/architecture.md): the ${layerName} layer may not import this at run time; pass it in, or move the shared piece down.`,
  };
}

const layerRules = layers.map((layer, index) => {
  const above = layers.slice(index + 1).flatMap((upper) => upper.folders);
  return {
    files: layer.folders.map((folder) => `src/${folder}/**/*.ts`),
    ignores: ["**/*.test.ts", "**/*-contract.ts", "**/*-fixture.ts", "**/test-fixtures/**", "**/fixtures/**", "**/testing/**", "src/loaders/sample-documents.ts", "src/loaders/zip-fixtures.ts", "src/server/test-support.ts"],
    rules: above.length === 0 ? {} : { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [importsOnlyDownward(layer.name, above)] }] },
  };
});

/**
 * The files linted with type information (tsconfig.json's program). Exported for scripts/typecheck-and-lint.mjs,
 * which hands these files the type-check's program instead of letting typescript-eslint build a second one.
 */
export const typeAwareFiles = {
  files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
  // test/layering.test.ts lints made-up files (probe.ts) that no tsconfig holds.
  ignores: ["**/probe.ts"],
};

export default tseslint.config(
  { ignores: ["node_modules/**", "scratch/**", "dist/**", "web/dist/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration once in src/config and pass it down." }],
      // `import { z } from "zod"` takes zod's whole namespace object (every locale, every schema kind) into the CLI
      // bundle, ~60 ms more to start each process; as a namespace import the bundler keeps only what is used.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[importKind='value'][source.value=/^zod/] > ImportSpecifier",
          message: 'Import zod as a namespace: import * as z from "zod" (the bundle keeps only what is used; see scripts/build.mjs).',
        },
      ],
    },
  },
  {
    // The web app runs in the browser (web/src); its build config runs in Node.
    files: ["web/**"],
    languageOptions: {
      globals: {
        window: "readonly", document: "readonly", navigator: "readonly", fetch: "readonly", FormData: "readonly", File: "readonly",
        Response: "readonly", AbortController: "readonly", DOMException: "readonly", TextDecoderStream: "readonly", HTMLElement: "readonly",
        localStorage: "readonly", Intl: "readonly",
      },
    },
  },
  ...layerRules,
  {
    // Known exceptions, each a file in a lower folder doing a higher layer's work (see docs/architecture.md):
    // create-answerer.ts is the application service that routes a question to the answerer, a data-set table or a
    // task template (toolkit).
    files: ["src/answer/create-answerer.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?:\\.\\./)+(?:cli|server|report)/|^(?:\\.\\./)+market/(?!local-authority-names\\.ts$|types\\.ts$)",
              allowTypeImports: true,
              message: "Layers import only downward (docs/architecture.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/config/**", "src/cli/main.ts", "bench/**", "scripts/test.mjs", "**/*.test.ts", "**/*-contract.ts", "test/**", "vitest.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Type-aware: the store is async, and a forgotten await passes silently (a Promise is truthy, an unawaited
    // write may never happen). These two rules catch it.
    ...typeAwareFiles,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
);
