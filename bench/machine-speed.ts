/**
 * A fixed piece of CPU work timed now, printed beside a benchmark's figures. On the shared virtual machines these
 * benchmarks run on, the same build's CPU per search at 1M passages moved from 28-33 ms to 52-60 ms within hours
 * (docs/benchmarks.md, issue 14, sixteenth and seventeenth stops) with no other process busy: the machine's own speed
 * changes, and a figure means little without it. The work is of Hearth's own kind (words split and Porter-stemmed,
 * counted in a Map), on one thread, with nothing read from disk; its median over a few rounds is the figure, and a
 * larger figure means a slower machine at that time.
 */
import { stemmer } from "stemmer";

/** The same text every time: 60,000 words drawn by a fixed linear congruential sequence from a fixed vocabulary. */
function fixedText(): string {
  const vocabulary =
    "children looked after placements residential homes councils sufficiency strategy commissioning providers inspection leaders managers staffing fostering agencies assessments outcomes education health safeguarding transitions accommodation supported independent regulations standards quality judgements improvements recommendations requirements".split(
      " ",
    );
  const words: string[] = [];
  let state = 12345;
  for (let index = 0; index < 60_000; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const word = vocabulary[state % vocabulary.length]!;
    // A varied ending, so that the stemmer works on more than a handful of distinct words.
    words.push(`${word}${["", "s", "ing", "ed", "ness"][(state >> 8) % 5]}`);
  }
  return words.join(" ");
}

const text = fixedText();

/** One round: split, stem (no cache: the stemmer runs on every word) and count. */
function round(): number {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const stemmed = stemmer(word);
    counts.set(stemmed, (counts.get(stemmed) ?? 0) + 1);
  }
  return counts.size;
}

/** The fixed work's median time over `rounds` rounds, in milliseconds (after one round to compile it). */
export function machineSpeedMilliseconds(rounds = 5): number {
  round();
  const times: number[] = [];
  for (let index = 0; index < rounds; index++) {
    const started = performance.now();
    round();
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  return times[Math.floor(times.length / 2)]!;
}

/** The line a benchmark prints: the fixed work's time before and after its measurements. */
export function machineSpeedLine(before: number, after: number): string {
  return `machine speed: a fixed piece of CPU work (bench/machine-speed.ts) took ${before.toFixed(0)} ms before the measurements and ${after.toFixed(0)} ms after (larger is slower; compare runs by it)`;
}
