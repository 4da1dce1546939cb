import { describe, expect, it } from "vitest";
import { commandWord, commandWords } from "./command-line.ts";

const line = (...words: string[]): string[] => ["node", "hearth", ...words];

describe("reading a hearth command line before commander", () => {
  it("finds the command word past the global options and their values", () => {
    expect(commandWord(line("--data", "search", "ask", "x"))).toBe("ask");
    expect(commandWord(line("--store", "postgres://h/db", "--data=/tmp/x", "search", "q"))).toBe("search");
    expect(commandWord(line("--version"))).toBeUndefined();
    expect(commandWord(line())).toBeUndefined();
  });

  it("gives the command's arguments after it, without options, and reads nothing after --", () => {
    expect(commandWords(line("--data", "d", "ingest", "--json", "a.pdf", "b.docx"))).toEqual(["ingest", "a.pdf", "b.docx"]);
    expect(commandWords(line("ingest", "--", "--odd name.pdf"))).toEqual(["ingest"]);
    expect(commandWord(line("--", "search"))).toBeUndefined();
  });
});
