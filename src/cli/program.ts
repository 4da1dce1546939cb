/** Builds the commander program; each command lives in its own file. */
import { Command } from "commander";
import { HearthError } from "../errors/hearth-error.ts";
import { loadConfig } from "../config/config.ts";
import type { HearthConfig } from "../config/config.ts";
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

export function buildProgram(io: CliIo): CliProgram {
  const program = new Command() as CliProgram;
  program.exitCode = 0;
  program
    .name("hearth")
    .description("Hearth: a source-grounded library and assistant for children's residential care providers")
    .version("0.1.0")
    .option("--data <dir>", "data folder (default: $HEARTH_DATA or ~/.local/share/hearth)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  let cached: HearthConfig | undefined;
  const context: CommandContext = {
    io,
    config() {
      if (cached) return cached;
      const result = loadConfig(io.environment, { dataDir: program.opts<{ data?: string }>().data });
      if (!result.ok) throw result.error;
      cached = result.value;
      return cached;
    },
    setExitCode(code) {
      program.exitCode = Math.max(program.exitCode, code);
    },
  };

  registerIngestCommand(program, context);
  registerSearchCommand(program, context);
  registerListCommand(program, context);
  registerRemoveCommand(program, context);
  registerDoctorCommand(program, context);
  registerAskCommand(program, context);
  registerSessionsCommand(program, context);
  registerReportCommand(program, context);
  registerEvalCommand(program, context);
  registerEmbedCommand(program, context);
  registerModelsCommand(program, context);
  registerServeCommand(program, context);
  registerDraftCommand(program, context);
  registerTemplatesCommand(program, context);
  registerProfileCommand(program, context);
  registerLaCommand(program, context);
  registerTagCommand(program, context);
  registerUsersCommand(program, context);
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
