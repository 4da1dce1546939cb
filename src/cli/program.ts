/**
 * Builds the commander program; each command lives in its own file. Registering a command is cheap: each command
 * file imports what its action needs (the store, loaders, the answerer, the server) only when that action runs, so
 * `hearth --version` or `hearth search` never load mupdf, exceljs, pdfkit or the web server.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { commandWord } from "../config/command-line.ts";
import { HearthError } from "../errors/hearth-error.ts";
import type { HearthConfig } from "../config/config.ts";
import type * as ConfigModule from "../config/config.ts";
import { registerAskCommand } from "./ask-command.ts";
import { registerDoctorCommand } from "./doctor-command.ts";
import { registerEmbedCommand } from "./embed-command.ts";
import { registerEvalCommand } from "./eval-command.ts";
import { registerIngestCommand } from "./ingest-command.ts";
import { registerListCommand } from "./list-command.ts";
import { registerModelsCommand } from "./models-command.ts";
import { registerRemoveCommand } from "./remove-command.ts";
import { registerReportCommand } from "./report-command.ts";
import { registerSearchCommand } from "./search-command.ts";
import { registerSessionsCommand } from "./sessions-command.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerDraftCommand } from "./draft-command.ts";
import { registerLaCommand } from "./la-command.ts";
import { registerProfileCommand } from "./profile-command.ts";
import { registerTagCommand } from "./tag-command.ts";
import { registerTemplatesCommand } from "./templates-command.ts";
import { registerUsersCommand } from "./users-command.ts";
import { registerMigrateCommand } from "./migrate-command.ts";
import { registerWorkerCommand } from "./worker-command.ts";

export interface CliIo {
  environment: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CliProgram extends Command {
  exitCode: number;
}

export interface CommandContext {
  io: CliIo;
  /** Parses configuration once, from the environment and the global options. */
  config(): HearthConfig;
  setExitCode(code: number): void;
}

/** The version users see is package.json's (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

type RegisterCommand = (program: Command, context: CommandContext) => void;

/** Each command's name (as its file registers it) and its registration, in the order `hearth --help` lists them. */
export const commands: ReadonlyArray<readonly [string, RegisterCommand]> = [
  ["ingest", registerIngestCommand],
  ["search", registerSearchCommand],
  ["list", registerListCommand],
  ["remove", registerRemoveCommand],
  ["doctor", registerDoctorCommand],
  ["ask", registerAskCommand],
  ["sessions", registerSessionsCommand],
  ["report", registerReportCommand],
  ["eval", registerEvalCommand],
  ["embed", registerEmbedCommand],
  ["models", registerModelsCommand],
  ["serve", registerServeCommand],
  ["draft", registerDraftCommand],
  ["templates", registerTemplatesCommand],
  ["profile", registerProfileCommand],
  ["la", registerLaCommand],
  ["tag", registerTagCommand],
  ["users", registerUsersCommand],
  ["migrate", registerMigrateCommand],
  ["worker", registerWorkerCommand],
];

/** The commands a line needs registered: the one it names, none to print the version, else all. */
function commandsFor(argv: readonly string[] | undefined): typeof commands {
  if (argv === undefined) return commands;
  const named = commandWord(argv);
  const only = commands.find(([name]) => name === named);
  if (only !== undefined) return [only];
  const options = argv.slice(2);
  const versionOnly = named === undefined && options.some((word) => word === "--version" || word === "-V") && !options.some((word) => word === "--help" || word === "-h");
  return versionOnly ? [] : commands;
}

/** The program for `argv` (registering only the command it names), or for any line when `argv` is not given. */
export function buildProgram(io: CliIo, argv?: readonly string[]): CliProgram {
  const program = new Command() as CliProgram;
  program.exitCode = 0;
  program
    .name("hearth")
    .description("Hearth: a source-grounded library and assistant for children's residential care providers")
    .version(packageVersion())
    .option("--data <dir>", "data folder (default: $HEARTH_DATA or ~/.local/share/hearth)")
    .option("--store <url-or-folder>", "the library: a folder or a postgres:// URL (default: $HEARTH_STORE_URL, else the data folder)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  // The configuration module (and zod with it) is loaded before an action runs, not for --help or --version.
  let configModule: typeof ConfigModule | undefined;
  program.hook("preAction", async () => {
    configModule ??= await import("../config/config.ts");
  });
  let cached: HearthConfig | undefined;
  const context: CommandContext = {
    io,
    config() {
      if (cached) return cached;
      if (!configModule) throw new Error("configuration read before the command's action ran");
      const options = program.opts<{ data?: string; store?: string }>();
      const result = configModule.loadConfig(io.environment, { dataDir: options.data, storeUrl: options.store });
      if (!result.ok) throw result.error;
      cached = result.value;
      return cached;
    },
    setExitCode(code) {
      program.exitCode = Math.max(program.exitCode, code);
    },
  };

  // Only the command the line names, where it names one of them: registering all twenty (commander splits every
  // option's flags, builds its help entries) was ~5 ms of every start (docs/benchmarks.md, "issue 10, tenth stop").
  // Without a known command word, all (--help lists them, commander suggests one for a misspelt word), except for a
  // line that only asks the version, which needs none.
  for (const [, register] of commandsFor(argv)) register(program, context);
  return program;
}

/** Parses a positive whole-number option, naming the option when it is not one. */
export function parsePositiveInteger(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) {
      throw new HearthError("INVALID_INPUT", `${name} must be a positive whole number, not "${value}"`, { subject: name });
    }
    return parsed;
  };
}
