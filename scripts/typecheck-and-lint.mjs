#!/usr/bin/env node
/**
 * `tsc --noEmit` and `eslint .` in one process over one TypeScript program (used by `npm test`; `npm run typecheck`
 * and `npm run lint` still run each tool alone). The lint's type-aware rules (no-floating-promises,
 * no-misused-promises) need a program of the whole project: on its own, typescript-eslint's project service builds
 * one (~19 s of CPU on this project, about as much as the type-check), so running the two separately builds and
 * checks the same program twice. Here the type-check builds it and the lint is handed it
 * (typescript-eslint's `parserOptions.programs`), for the same files the config lints with type information
 * (`typeAwareFiles` in eslint.config.js). Output: tsc's diagnostics as tsc prints them, then ESLint's "stylish"
 * report; exit 1 when either found an error.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";
import { typeAwareFiles } from "../eslint.config.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

// 1. The type-check, as `tsc --noEmit` (tsconfig.json at the root).
const configPath = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
if (configPath === undefined) throw new Error("typecheck-and-lint: no tsconfig.json at the repository root");
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]) });
if (parsed === undefined) process.exit(1);
const program = ts.createProgram({
  rootNames: parsed.fileNames,
  options: parsed.options,
  projectReferences: parsed.projectReferences,
  configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
});
// tsc's order: configuration and options, then syntax; the global and semantic checks only when the syntax is sound.
let diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
if (diagnostics.length === 0) diagnostics = [...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()];
const typeErrors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error).length;
report(diagnostics);
process.stdout.write(`typecheck: ${typeErrors === 0 ? "ok" : `${typeErrors} error(s)`} (${parsed.fileNames.length} files, ${seconds()} s)\n`);

function report(list) {
  if (list.length === 0) return;
  const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  process.stdout.write(ts.formatDiagnostics(ts.sortAndDeduplicateDiagnostics(list), host));
}

// 2. The lint, as `eslint .`, with the type-check's program for the type-aware files.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: typeAwareFiles.files,
    ignores: typeAwareFiles.ignores,
    languageOptions: { parserOptions: { projectService: false, programs: [program] } },
  },
});
const results = await eslint.lintFiles(["."]);
const formatter = await eslint.loadFormatter("stylish");
const output = await formatter.format(results, { cwd: root, rulesMeta: eslint.getRulesMetaForResults(results) });
if (output) process.stdout.write(output);
const lintErrors = results.reduce((sum, result) => sum + result.errorCount + result.fatalErrorCount, 0);
const lintWarnings = results.reduce((sum, result) => sum + result.warningCount, 0);
process.stdout.write(
  `lint: ${lintErrors === 0 ? "ok" : `${lintErrors} error(s)`}${lintWarnings > 0 ? `, ${lintWarnings} warning(s)` : ""} (${results.length} files; ${seconds()} s in all)\n`,
);
process.exit(typeErrors > 0 || lintErrors > 0 ? 1 : 0);
