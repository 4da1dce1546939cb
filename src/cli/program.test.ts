/**
 * buildProgram registers only the command a line names (a start-up saving): the table of names must match what each
 * file registers, the command word must be found past the global options, and what a user sees (a command's help, the
 * suggestion for a misspelt command, the list of all commands) must be what the whole program shows.
 */
import { Writable } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, commands } from "./program.ts";
import type { CliIo } from "./program.ts";
import { runCli } from "./main.ts";

function capturingIo(): { io: CliIo; output: () => string } {
  let text = "";
  const stream = () =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
  return { io: { environment: {}, stdout: stream(), stderr: stream() }, output: () => text };
}

/** What the line prints and returns with the program built for that line (as runCli does) and with every command. */
async function bothWays(argv: string[]): Promise<{ forLine: string; whole: string; code: number }> {
  const forLine = capturingIo();
  const code = await runCli(argv, forLine.io);
  const whole = capturingIo();
  const program = buildProgram(whole.io);
  await program.parseAsync(argv).catch(() => undefined);
  return { forLine: forLine.output(), whole: whole.output(), code };
}

describe("the program", () => {
  it("names each command as its file registers it", () => {
    const context = { io: capturingIo().io, config: () => { throw new Error("not read"); }, setExitCode: () => undefined };
    for (const [name, register] of commands) {
      const program = new Command();
      register(program, context);
      expect(program.commands.map((command) => command.name())).toEqual([name]);
    }
    expect(buildProgram(capturingIo().io).commands.map((command) => command.name())).toEqual(commands.map(([name]) => name));
  });

  it("registers the command the line names (src/config/command-line.ts reads it), none for the version, else all", () => {
    expect(buildProgram(capturingIo().io, ["node", "hearth", "--data", "d", "search", "q"]).commands.map((command) => command.name())).toEqual(["search"]);
    expect(buildProgram(capturingIo().io, ["node", "hearth", "serch", "q"]).commands).toHaveLength(commands.length);
    expect(buildProgram(capturingIo().io, ["node", "hearth", "--data", "d", "--version"]).commands).toHaveLength(0);
    expect(buildProgram(capturingIo().io, ["node", "hearth", "--version", "--help"]).commands).toHaveLength(commands.length);
  });

  it.each([
    ["a command's help", ["node", "hearth", "--data", "/nonexistent", "search", "--help"]],
    ["a sub-command's help", ["node", "hearth", "users", "add", "--help"]],
    ["the list of commands", ["node", "hearth", "--help"]],
    ["a misspelt command", ["node", "hearth", "serch", "foster care"]],
    ["a command's missing argument", ["node", "hearth", "ask"]],
    ["the version", ["node", "hearth", "--version"]],
    ["the version and the list of commands", ["node", "hearth", "-V", "--help"]],
  ])("prints %s as the whole program does", async (_name, argv) => {
    const { forLine, whole } = await bothWays(argv);
    expect(forLine.length).toBeGreaterThan(4);
    expect(forLine).toBe(whole);
  });

  it("still suggests the command a misspelt one was meant to be", async () => {
    const { forLine, code } = await bothWays(["node", "hearth", "serch", "foster care"]);
    expect(code).toBe(2);
    expect(forLine).toContain("(Did you mean search?)");
  });
});
