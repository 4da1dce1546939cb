/** The domain glossary (src/retrieval/glossary.json), compiled into stem sequences for matching. */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { stems, words } from "./tokenize.ts";

const glossaryFileSchema = z.object({
  groups: z.array(z.array(z.string().min(1)).min(2)),
  spellings: z.array(z.tuple([z.string(), z.string()])),
  inflections: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
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
  /**
   * Irregular forms of one word the stemmer does not join ("child" and "children", "person" and "people"), both
   * directions: the same word, so a passage with either form holds it in full.
   */
  inflections: Map<string, string>;
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
  const inflections = new Map<string, string>();
  for (const [one, other] of parsed.inflections) {
    inflections.set(one, other);
    inflections.set(other, one);
  }
  return { groups, spellings, inflections };
}

let defaultGlossary: Glossary | undefined;

export function loadDefaultGlossary(): Glossary {
  defaultGlossary ??= compileGlossary(JSON.parse(readFileSync(new URL("./glossary.json", import.meta.url), "utf8")));
  return defaultGlossary;
}
