/** The `hearth` command line: the only place (with src/config) that touches process.env and argv. */
// First, so its settings hold before any module below builds a schema.
import "./zod-settings.ts";
// Before any module that loads MuPDF. The loaders import it before "mupdf" too, but the bundles load MuPDF ahead of
// the loaders' code (dist/bundle/ hoists the import, dist/cached/ imports it first): see loaders/mupdf-module.ts.
import "../loaders/mupdf-module.ts";
import { buildProgram } from "./program.ts";
import type { CliIo } from "./program.ts";
import { HearthError } from "../errors/hearth-error.ts";

/**
 * Runs one command line against the given streams and environment and returns the exit code: 0 done, 1 the command
 * reported a problem (a failed file, a failed check), 2 bad input (a HearthError or a usage error). Anything else is
 * a bug and is thrown. Holds no state between calls, so tests run it in-process many times.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io, argv);
  try {
    await program.parseAsync(argv);
    return program.exitCode;
  } catch (error) {
    if (error instanceof HearthError) {
      io.stderr.write(`hearth: ${error.message}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    // commander signals --help and --version by throwing after it has printed.
    if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") return 0;
    if (typeof code === "string" && code.startsWith("commander.")) return 2;
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  // `hearth search ... | head` closes the pipe early: the reader has what it wanted, so stop quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return runCli(argv, { environment: process.env, stdout: process.stdout, stderr: process.stderr });
}
