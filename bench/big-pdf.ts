/**
 * The ~500-page PDF the ingest benchmarks read: every PDF of the corpus library/ and real/ joined with pdfunite
 * (Nottinghamshire's strategy twice), so that bench/run.ts and bench/startup.ts time the same file.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

export function buildBigPdf(corpus: (relative: string) => string, workDir: string): { path: string; pages: number } {
  const pdfs = [
    ...readdirSync(corpus("library")).filter((name) => name.endsWith(".pdf")).map((name) => corpus(`library/${name}`)),
    ...readdirSync(corpus("real")).filter((name) => name.endsWith(".pdf")).map((name) => corpus(`real/${name}`)),
  ];
  pdfs.push(corpus("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf"));
  const path = join(workDir, "big.pdf");
  // stdio "pipe" keeps pdfunite's "Syntax Warning" per recursive dictionary of the joined files (hundreds, harmless)
  // off the benchmark's output; a failure still throws with them in its message.
  execFileSync("pdfunite", [...pdfs, path], { stdio: "pipe" });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [path]).toString())?.[1] ?? NaN);
  return { path, pages };
}
