/**
 * Source authority: what kind of source a document is (statute or regulation down to the provider's own policy)
 * and when it dates from. Guessed from the file name and title, overridable with `hearth tag`; kept as a setting
 * keyed by file name so that a tag survives re-ingesting a changed version of the same file. Search prefers higher
 * authority and newer sources by a small margin, and answers say when a cited source's period has ended.
 */
import * as z from "zod";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { Answer } from "../answer/types.ts";
import type { SearchOptions, SearchResult, Searcher } from "../retrieval/search.ts";
import type { DocumentRecord, SettingDefinition, SettingFamily, Store } from "../store/types.ts";
import { libraryDocuments, perLibraryVersion } from "../store/library-documents.ts";

export const authorityKinds = [
  "statute",
  "statutory_guidance",
  "inspection_framework",
  "inspection_report",
  "la_strategy",
  "market_research",
  "own_policy",
  "other",
] as const;

export type AuthorityKind = (typeof authorityKinds)[number];

export const authorityLabels: Record<AuthorityKind, string> = {
  statute: "statute / regulation",
  statutory_guidance: "statutory guidance",
  inspection_framework: "inspection framework",
  inspection_report: "inspection report",
  la_strategy: "LA strategy",
  market_research: "market research / data",
  own_policy: "own policy",
  other: "other",
};

/** Higher is more authoritative. */
const rank: Record<AuthorityKind, number> = {
  statute: 6,
  statutory_guidance: 5,
  inspection_framework: 4,
  inspection_report: 3,
  la_strategy: 3,
  market_research: 2,
  own_policy: 2,
  other: 1,
};

export interface SourceAuthority {
  kind: AuthorityKind;
  /** The year the source dates from (the end of its period when it has one), or null. */
  year: number | null;
  /** The years a strategy or plan covers ("2011-2015"), or null. */
  period: { from: number; to: number } | null;
  /** Whether a person set this (hearth tag) or it was guessed from the name. */
  source: "tagged" | "guessed";
}

const storedSchema = z.object({
  kind: z.enum(authorityKinds).optional(),
  year: z.number().int().min(1900).max(2100).nullable().optional(),
  period: z.object({ from: z.number().int(), to: z.number().int() }).nullable().optional(),
});

type StoredAuthority = z.infer<typeof storedSchema>;

const guesses: { kind: AuthorityKind; pattern: RegExp }[] = [
  { kind: "statutory_guidance", pattern: /\bguide to the children'?s homes?\b|\bstatutory guidance\b|\bquality standards\b|\bguide_to|\bnational framework\b|\bpromoting the health\b|\bworking together\b/i },
  { kind: "statute", pattern: /\bregulations?\b[^]*\b(19|20)\d{2}\b|\bact (19|20)\d{2}\b|\bstatutory instrument\b/i },
  { kind: "inspection_framework", pattern: /\bSCCIF\b|\binspection framework\b|\bsocial care common inspection\b/i },
  { kind: "inspection_report", pattern: /\bILACS\b|\bfocused[- ]visit\b|\binspection of\b|\binspection report\b|\bmonitoring visit\b/i },
  { kind: "la_strategy", pattern: /\bsufficiency\b|\bplacements? strategy\b|\bcommissioning strategy\b|\bmarket position statement\b|\bmembers briefing\b|\bneeds assessment\b|\bJSNA\b/i },
  { kind: "market_research", pattern: /\bmarket (research|analysis|study)\b|\bstatistics\b|\bdata (profile|service)\b|\bprovider[- ]level\b|\bper 10k\b|\bbenchmark/i },
  { kind: "own_policy", pattern: /\bpolicy\b|\bprocedure\b|\bstatement of purpose\b|\bchildren'?s guide\b/i },
];

function words(text: string): string {
  return text.replace(/\.[a-z0-9]+$/i, "").replace(/[_]+/g, " ");
}

/** "2011-2015", "2011 - 2015", "2023-25", "2023 to 2025". */
export function parsePeriod(text: string): { from: number; to: number } | null {
  const match = text.match(/\b((?:19|20)\d{2})\s*(?:-|–|to|_)\s*((?:19|20)?\d{2})\b/);
  if (!match) return null;
  const from = Number(match[1]);
  const toText = match[2] ?? "";
  const to = toText.length === 2 ? Math.floor(from / 100) * 100 + Number(toText) : Number(toText);
  if (to < from || to - from > 15) return null;
  return { from, to };
}

/** The kind and date of a document from its file name and title. */
export function guessSourceAuthority(fileName: string, title: string | null): SourceAuthority {
  const text = `${words(fileName)} ${title ?? ""}`;
  const kind = guesses.find((guess) => guess.pattern.test(text))?.kind ?? "other";
  const period = parsePeriod(text);
  const years = [...text.matchAll(/(?<![\d.])((?:19|20)\d{2})(?![\d.])/g)].map((match) => Number(match[1]));
  const year = period ? period.to : years.length > 0 ? Math.max(...years) : null;
  return { kind, year, period, source: "guessed" };
}

export function settingKey(fileName: string): string {
  return `authority:${fileName}`;
}

/** A document's authority tag, kept as the setting "authority:<file name>". */
export function authoritySetting(fileName: string): SettingDefinition<StoredAuthority> {
  return { key: settingKey(fileName), schema: storedSchema };
}

/** Every authority tag, "authority:<file name>", read in one call. */
const authorityFamily: SettingFamily<StoredAuthority> = { prefix: settingKey(""), schema: storedSchema };

/** A document's authority from its tag (when set) over the guess from its name and title. */
function authorityFrom(document: Pick<DocumentRecord, "fileName" | "title">, tag: StoredAuthority | undefined): SourceAuthority {
  const guess = guessSourceAuthority(document.fileName, document.title);
  if (tag === undefined) return guess;
  return {
    kind: tag.kind ?? guess.kind,
    year: tag.year !== undefined ? tag.year : guess.year,
    period: tag.period !== undefined ? tag.period : guess.period,
    source: "tagged",
  };
}

/** The document's authority: its tag when one was set, else the guess. */
export async function describeSourceAuthority(
  store: Pick<Store, "settings">,
  document: Pick<DocumentRecord, "fileName" | "title">,
): Promise<SourceAuthority> {
  return authorityFrom(document, await store.settings.get(authoritySetting(document.fileName)));
}

/**
 * The library's authority tags, read in one call once per library version; `of` then answers for any document
 * without a store call (searches, briefings and notes ask for every result's source).
 */
export interface LibraryAuthorities {
  of(document: Pick<DocumentRecord, "fileName" | "title">): SourceAuthority;
}

export const libraryAuthorities: (store: Pick<Store, "documents" | "settings" | "version">, version?: number) => Promise<LibraryAuthorities> = perLibraryVersion(
  async (store: Pick<Store, "documents" | "settings" | "version">) => {
    const tags = await store.settings.getFamily(authorityFamily);
    const known = new Map<string, SourceAuthority>();
    return {
      of(document) {
        const key = `${document.fileName}\u0000${document.title ?? ""}`;
        let authority = known.get(key);
        if (!authority) known.set(key, (authority = authorityFrom(document, tags.get(document.fileName))));
        return authority;
      },
    };
  },
);

export function parseAuthorityKind(text: string): Result<AuthorityKind> {
  const normal = text.trim().toLowerCase().replace(/[\s/-]+/g, "_");
  const aliases: Record<string, AuthorityKind> = {
    regulation: "statute",
    regulations: "statute",
    statute_regulation: "statute",
    law: "statute",
    guidance: "statutory_guidance",
    framework: "inspection_framework",
    inspection: "inspection_report",
    strategy: "la_strategy",
    research: "market_research",
    data: "market_research",
    policy: "own_policy",
  };
  const kind = (authorityKinds as readonly string[]).includes(normal) ? (normal as AuthorityKind) : aliases[normal];
  if (!kind) {
    return fail(new HearthError("INVALID_INPUT", `--authority must be one of ${authorityKinds.join(", ")}, not "${text}"`, { subject: "--authority" }));
  }
  return ok(kind);
}

/** "2019", or "2011-2015" for a period. */
export function parseAuthorityDate(text: string): Result<{ year: number; period: { from: number; to: number } | null }> {
  const period = parsePeriod(text);
  if (period) return ok({ year: period.to, period });
  const match = text.trim().match(/^((?:19|20)\d{2})(?:-\d{2}(?:-\d{2})?)?$/);
  if (!match) {
    return fail(new HearthError("INVALID_INPUT", `--date must be a year (2019), a date (2019-06-30) or a period (2011-2015), not "${text}"`, { subject: "--date" }));
  }
  return ok({ year: Number(match[1]), period: null });
}

/** Tags a document (by its file name), keeping whatever part of an earlier tag is not replaced. */
export async function tagSourceAuthority(
  store: Store,
  fileName: string,
  tag: { kind?: AuthorityKind; year?: number; period?: { from: number; to: number } | null },
): Promise<SourceAuthority> {
  const previous = await store.settings.get(authoritySetting(fileName));
  const merged: StoredAuthority = { ...previous, ...tag };
  await store.settings.set(authoritySetting(fileName), merged);
  const title = (await store.documents.list()).find((document) => document.fileName === fileName)?.title ?? null;
  return describeSourceAuthority(store, { fileName, title });
}

// ---------------------------------------------------------------------------------------------------------------
// Search preference

const boost = { authority: 0.04, recency: 0.03 };

/** The small score bonus for a source: higher authority and newer year rank a little higher. */
export function authorityBoost(authority: SourceAuthority, currentYear: number): number {
  const authorityPart = boost.authority * (rank[authority.kind] / 6);
  if (authority.year === null) return authorityPart;
  const age = Math.max(0, currentYear - authority.year);
  return authorityPart + boost.recency * Math.max(0, 1 - age / 20);
}

/**
 * A searcher that prefers higher authority and newer sources: it asks the inner searcher for more results, adds
 * the bonus and keeps the best. The bonus is small, so relevance still decides between unlike passages.
 */
export function withSourceAuthority(searcher: Searcher, store: Store, now: Date = new Date()): Searcher {
  const currentYear = now.getFullYear();
  return {
    analyse: (query) => searcher.analyse(query),
    async search(query: string, options: SearchOptions): Promise<SearchResult[]> {
      const results = await searcher.search(query, { ...options, limit: options.limit * 2 });
      // Every tag read once per library version (one version read per search), before the scoring below.
      const library = await libraryAuthorities(store);
      const authorities = results.map((result) => library.of(result));
      return results
        .map((result, index) => ({ ...result, score: result.score + authorityBoost(authorities[index]!, currentYear) }))
        .sort((left, right) => right.score - left.score)
        .slice(0, options.limit);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Out-of-date notes

const titleLists = new WeakMap<readonly DocumentRecord[], ReadonlyMap<string, string | null>>();

/** The library's titles by file name (the last of each name, as a Map built from the list keeps), once per list read. */
function titlesByFileName(documents: readonly DocumentRecord[]): ReadonlyMap<string, string | null> {
  let titles = titleLists.get(documents);
  if (!titles) titleLists.set(documents, (titles = new Map(documents.map((document) => [document.fileName, document.title]))));
  return titles;
}

/** One note per cited file whose period has ended ("covers 2011-2015; it may be out of date"). */
export async function outOfDateNotes(answer: Answer, store: Store, now: Date = new Date()): Promise<string[]> {
  const currentYear = now.getFullYear();
  const titles = titlesByFileName(await libraryDocuments(store));
  const authorities = await libraryAuthorities(store);
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const citation of answer.citations) {
    if (seen.has(citation.file)) continue;
    seen.add(citation.file);
    const authority = authorities.of({ fileName: citation.file, title: titles.get(citation.file) ?? null });
    if (authority.period && authority.period.to < currentYear) {
      const markers = answer.citations.filter((other) => other.file === citation.file).map((other) => `[${other.n}]`).join("");
      notes.push(
        `${citation.file} ${markers} covers ${authority.period.from}-${authority.period.to}; it may be out of date — check for a newer version.`,
      );
    }
  }
  return notes;
}

/** The answer with a closing "Note:" line for each cited source whose period has ended. */
export async function addOutOfDateNotes(answer: Answer, store: Store, now: Date = new Date()): Promise<Answer> {
  const notes = await outOfDateNotes(answer, store, now);
  if (notes.length === 0) return answer;
  return { ...answer, answer: `${answer.answer.trimEnd()}\n\n${notes.map((note) => `Note: ${note}`).join("\n")}` };
}

/** A document's source authority as the web app shows it. */
export function authoritySummary(authority: SourceAuthority): {
  authority: SourceAuthority["kind"];
  label: string;
  year: number | null;
  period: { from: number; to: number } | null;
  source: SourceAuthority["source"];
} {
  return { authority: authority.kind, label: authorityLabels[authority.kind], year: authority.year, period: authority.period, source: authority.source };
}
