/**
 * A `hearth` command line read before commander parses it: the CLI registers only the command it names
 * (src/cli/program.ts), bin/hearth picks the bundle to run by it, and an ingest of a long PDF starts its page worker
 * at process start (src/loaders/pdf-page-worker-thread.ts). One reading for the three, so that they cannot disagree.
 * It imports nothing: bin/hearth loads it from dist/ before anything else.
 */

/** The program's own options that take the next word as their value. */
const optionsWithValues = new Set(["--data", "--store"]);

/**
 * The words of `argv` (node, the script, then the line) that are neither options nor the values of `--data` and
 * `--store`: the command word first, then its arguments. Nothing after `--` is read (commander takes those as
 * arguments of whatever comes first).
 */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let index = 2; index < argv.length; index++) {
    const word = argv[index] ?? "";
    if (word === "--") break;
    if (optionsWithValues.has(word)) index++;
    else if (!word.startsWith("-")) words.push(word);
  }
  return words;
}

/** The command word of `argv` (see `commandWords`); undefined for none (`hearth --version`, `hearth -- search`). */
export function commandWord(argv: readonly string[]): string | undefined {
  return commandWords(argv)[0];
}
