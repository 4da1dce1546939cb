/** The domain glossary (src/retrieval/glossary.json), compiled into stem sequences for matching. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { stems, words } from "./tokenize.ts";

const glossaryFileSchema = z.object({
  groups: z.array(z.array(z.string().min(1)).min(2)),
  spellings: z.array(z.tuple([z.string(), z.string()])),
});

export interface GlossaryVariant {
  /** Words as written, for the full-text query. */
  words: string[];
  /** Porter stems, for matching passages. */
  stems: string[];
}

export interface Glossary {
  groups: GlossaryVariant[][];
  /** British <-> American spelling, both directions, on words. */
  spellings: Map<string, string>;
}

export function compileGlossary(source: unknown): Glossary {
  const parsed = glossaryFileSchema.parse(source);
  const groups = parsed.groups.map((group) =>
    group.map((term) => ({ words: words(term), stems: stems(term) })).filter((variant) => variant.words.length > 0),
  );
  const spellings = new Map<string, string>();
  for (const [british, american] of parsed.spellings) {
    spellings.set(british, american);
    spellings.set(american, british);
  }
  return { groups, spellings };
}

let defaultGlossary: Glossary | undefined;

export function loadDefaultGlossary(): Glossary {
  defaultGlossary ??= compileGlossary(JSON.parse(readFileSync(new URL("./glossary.json", import.meta.url), "utf8")));
  return defaultGlossary;
}
