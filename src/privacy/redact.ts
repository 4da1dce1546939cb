/**
 * Redaction of personal data before text leaves the machine: children's names, dates of birth, NHS numbers,
 * addresses and postcodes, UK phone numbers and email addresses become placeholders such as ⟦PERSON_1⟧. The same
 * value always gets the same placeholder across the question and every passage, so the model can still reason
 * about it, and the mapping restores the originals in the answer. The mapping never leaves the process.
 */

export type RedactionKind = "PERSON" | "DOB" | "NHS" | "ADDRESS" | "POSTCODE" | "PHONE" | "EMAIL";

export interface RedactorOptions {
  /** Names to redact wherever they appear (the children and staff the user works with). */
  names?: string[];
}

export interface Redactor {
  /** Redacts texts that go into one request; names found in any of them are redacted in all. */
  redact(texts: string[]): string[];
  /** Puts the originals back (also when a model wrote the placeholder with plain brackets). */
  restore(text: string): string;
  /** Placeholder to original, for tests and the "n items were redacted" note. */
  readonly mapping: ReadonlyMap<string, string>;
}

const month = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const date = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+${month}\\s+\\d{4}|${month}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;

/** Patterns in the order they run: an email's digits must not become a phone number first. */
const patterns: { kind: RedactionKind; pattern: RegExp; group?: number }[] = [
  { kind: "EMAIL", pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  // Only dates introduced as a date of birth: other dates (of plans, inspections) carry the strategy.
  { kind: "DOB", pattern: new RegExp(`\\b(?:DOB|D\\.O\\.B\\.?|date of birth|born(?: on)?)\\s*[:\\-–]?\\s*(${date})`, "gi"), group: 1 },
  { kind: "NHS", pattern: /\b[1-9]\d{2}[ -]\d{3}[ -]\d{4}\b|\b[1-9]\d{9}\b/g },
  { kind: "PHONE", pattern: /(?:\+44\s?\(0\)\s?|\+44\s?|\b0)\d(?:[\s-]?\d){8,9}\b/g },
  {
    kind: "ADDRESS",
    pattern:
      /\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Place|Gardens|Terrace|Court|Grove|Hill|Park|Row|Square|Mews|Walk|Rd|St|Ave)\b\.?/g,
  },
  { kind: "POSTCODE", pattern: /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b/g },
];

/** Capitalised words that follow "child" or "young person" without being a name. */
const notNames = new Set(
  "A An The In Looked Protection Services Service Care Plan Plans Sexual Criminal Exploitation Ofsted Local Authority Authorities Home Homes Residential Mental Health Act Acts Social Worker Workers Safeguarding Board Team Teams Trust Of And Or For With Who Which That Placement Placements Sufficiency Strategy England Wales Council Minister Poverty Benefit Tax Trust Commissioner CAMHS NHS Court Order Orders Arrangements Review Reviews Panel Support Guarantee Friendly Centre Centred Focused Led I We They He She It".split(
    " ",
  ),
);

const nameWord = "[A-Z][a-z]+(?:-[A-Z][a-z]+)?";
/** "child called Jack", "young person, Amy Jones,", "YP: Liam", "Child's name: Jack Smith". */
const childName = new RegExp(
  `\\b(?:[Cc]hild(?:'s name)?|[Yy]oung [Pp]erson|YP\\d*|[Bb]oy|[Gg]irl|[Ss]on|[Dd]aughter|[Nn]ame)\\s*(?:called|named|known as|:|,|-|–)?\\s+(${nameWord}(?:\\s+${nameWord})?)`,
  "g",
);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const placeholders = new Map<string, string>(); // "KIND\u0000original" -> placeholder
  const mapping = new Map<string, string>(); // placeholder -> original
  const counters = new Map<RedactionKind, number>();
  const knownNames = new Set<string>();
  for (const name of options.names ?? []) {
    const trimmed = name.trim().replace(/\s+/g, " ");
    if (trimmed.length < 2) continue;
    knownNames.add(trimmed);
    // The first name alone is the same person later in a text.
    const first = trimmed.split(" ")[0];
    if (first && first !== trimmed && first.length > 1) knownNames.add(first);
  }

  const placeholderFor = (kind: RedactionKind, original: string): string => {
    const key = `${kind}\u0000${original.replace(/\s+/g, " ").trim()}`;
    let placeholder = placeholders.get(key);
    if (!placeholder) {
      const next = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, next);
      placeholder = `⟦${kind}_${next}⟧`;
      placeholders.set(key, placeholder);
      mapping.set(placeholder, original.replace(/\s+/g, " ").trim());
    }
    return placeholder;
  };

  const learnNames = (text: string): void => {
    for (const match of text.matchAll(childName)) {
      // Keep the leading run of name-like words: "Jack Smith" from "Jack Smith", nothing from "Protection Plan".
      const leading: string[] = [];
      for (const word of (match[1] ?? "").split(/\s+/)) {
        if (notNames.has(word)) break;
        leading.push(word);
      }
      if (leading.length === 0) continue;
      const full = leading.join(" ");
      knownNames.add(full);
      // The first name alone is the same child later in the text.
      if (leading.length > 1 && leading[0]) knownNames.add(leading[0]);
    }
  };

  const redactOne = (text: string): string => {
    let result = text;
    for (const { kind, pattern, group } of patterns) {
      result = result.replace(pattern, (...args: unknown[]) => {
        const whole = args[0] as string;
        const part = group === undefined ? whole : (args[group] as string | undefined);
        if (!part) return whole;
        if (kind === "PHONE" && whole.replace(/\D/g, "").replace(/^44/, "0").length < 10) return whole;
        return whole.replace(part, placeholderFor(kind, part));
      });
    }
    // Longest names first, so "Jack Smith" is one person, not "Jack" and a stray "Smith".
    const names = [...knownNames].sort((left, right) => right.length - left.length);
    for (const name of names) {
      // Each form keeps its own placeholder ("Jack" and "Jack Smith") so that restoring gives back the exact text.
      result = result.replace(new RegExp(`(?<![\\p{L}⟦_])${escape(name)}(?![\\p{L}_])`, "gu"), () => placeholderFor("PERSON", name));
    }
    return result;
  };

  return {
    redact(texts) {
      for (const text of texts) learnNames(text);
      return texts.map(redactOne);
    },
    restore(text) {
      return text.replace(/⟦([A-Z]+_\d+)⟧|\[\[?([A-Z]+_\d+)\]?\]/g, (whole, inner?: string, plain?: string) => {
        const original = mapping.get(`⟦${inner ?? plain}⟧`);
        return original ?? whole;
      });
    },
    mapping,
  };
}

/**
 * Restores placeholders in streamed text: a placeholder can arrive split over pieces ("⟦PER", "SON_1⟧"), so text
 * from an unclosed "⟦" is held back until its "⟧" arrives.
 */
export function createStreamRestorer(redactor: Pick<Redactor, "restore">, write: (text: string) => void): { push(text: string): void; flush(): void } {
  let pending = "";
  return {
    push(text) {
      pending += text;
      const open = pending.lastIndexOf("⟦");
      const ready = open >= 0 && pending.indexOf("⟧", open) < 0 ? pending.slice(0, open) : pending;
      pending = pending.slice(ready.length);
      if (ready.length > 0) write(redactor.restore(ready));
    },
    flush() {
      if (pending.length > 0) write(redactor.restore(pending));
      pending = "";
    },
  };
}
