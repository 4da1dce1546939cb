/**
 * Document identity: who wrote a document (a council, Ofsted, DfE, another body, or the provider itself), which
 * council it is about, its title and its date, read from the document's own first pages rather than its file name
 * (an Ofsted report saved as "children's services inspection - 01 february 2023.pdf" names Blackpool on page 1).
 * The guess is made at ingest and kept as a store setting per file name beside the source-authority tag, so no
 * schema change is needed; `hearth tag FILE --author … --about … --title … --date …` overrides any field, and a tag
 * survives re-ingesting a changed version of the file. Patterns and word lists live in identity-patterns.json.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import { describeSourceAuthority, guessSourceAuthority, libraryAuthorities, parsePeriod } from "../authority/source-authority.ts";
import type { AuthorityKind, LibraryAuthorities } from "../authority/source-authority.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { UnitText } from "../chunking/types.ts";
import { documentLocalAuthority, findLocalAuthorities, resolveLocalAuthority } from "../market/local-authority-names.ts";
import { getProfile } from "../profile/organisation-profile.ts";
import { libraryDocuments, perLibraryVersion } from "../store/library-documents.ts";
import type { DocumentRecord, SettingDefinition, SettingFamily, Store } from "../store/types.ts";

export const authorKinds = ["council", "inspectorate", "government", "provider", "other"] as const;
export type AuthorKind = (typeof authorKinds)[number];

export const authorKindLabels: Record<AuthorKind, string> = {
  council: "council",
  inspectorate: "inspectorate",
  government: "government",
  provider: "the provider (own document)",
  other: "other body",
};

export const identityFields = ["title", "author", "about", "date"] as const;
export type IdentityField = (typeof identityFields)[number];

export interface DocumentIdentity {
  /** The document's own title (its first-page title line, or a useful metadata title), or null. */
  title: string | null;
  /** The organisation that wrote it, as the document names it ("Ofsted", "Kent County Council"), or null. */
  author: string | null;
  authorKind: AuthorKind | null;
  /** The English local authority the document is about, from local-authorities.json, or null (national, many). */
  about: string | null;
  /** Publication date as far as known: "2023-02-01", "2023-02" or "2023"; null when none is found. */
  date: string | null;
  /** Fields a person set with `hearth tag`; every other field was read from the document (guessed). */
  tagged: IdentityField[];
}

const patternsSchema = z.object({
  inspection: z.object({
    author: z.string(),
    cues: z.array(z.string()),
    titleLines: z.array(z.string()),
    subject: z.array(z.string()),
    ignore: z.array(z.string()),
  }),
  publisher: z.string(),
  legislation: z.object({ cue: z.string(), author: z.string() }),
  bodies: z.array(z.object({ name: z.string(), kind: z.enum(authorKinds), patterns: z.array(z.string()) })),
  namedBody: z.string(),
  council: z.array(z.string()),
  councilKinds: z.array(z.string()),
  providerKinds: z.array(z.string()),
  providerName: z.string(),
  title: z.object({ reject: z.array(z.string()), skipLines: z.array(z.string()), maxLength: z.number().int().positive() }),
  date: z.object({ published: z.string(), notPublication: z.array(z.string()), lineMaxLength: z.number().int().positive() }),
  nouns: z.array(z.object({ noun: z.string(), pattern: z.string() })),
  kindNouns: z.record(z.string(), z.string()),
  search: z.object({ otherCouncilPenalty: z.number().min(0).max(1) }),
});

interface CompiledPatterns {
  inspectionAuthor: string;
  inspectionCues: RegExp[];
  inspectionTitleLines: RegExp[];
  inspectionSubject: RegExp[];
  inspectionIgnore: RegExp[];
  publisher: RegExp;
  legislationCue: RegExp;
  legislationAuthor: string;
  bodies: { name: string; kind: AuthorKind; patterns: RegExp[] }[];
  namedBody: RegExp;
  council: RegExp[];
  councilKinds: Set<string>;
  providerKinds: Set<string>;
  providerName: RegExp;
  titleReject: RegExp[];
  titleSkip: RegExp[];
  titleMaxLength: number;
  published: RegExp;
  notPublication: RegExp[];
  dateLineMaxLength: number;
  nouns: { noun: string; pattern: RegExp }[];
  kindNouns: Record<string, string>;
  search: { otherCouncilPenalty: number };
}

let compiled: CompiledPatterns | undefined;

function patterns(): CompiledPatterns {
  if (compiled) return compiled;
  const raw = patternsSchema.parse(JSON.parse(readFileSync(new URL("./identity-patterns.json", import.meta.url), "utf8")));
  const insensitive = (source: string, flags = ""): RegExp => new RegExp(source, `iu${flags}`);
  compiled = {
    inspectionAuthor: raw.inspection.author,
    inspectionCues: raw.inspection.cues.map((source) => insensitive(source)),
    inspectionTitleLines: raw.inspection.titleLines.map((source) => insensitive(source)),
    inspectionSubject: raw.inspection.subject.map((source) => insensitive(source, "m")),
    inspectionIgnore: raw.inspection.ignore.map((source) => insensitive(source, "g")),
    publisher: insensitive(raw.publisher, "m"),
    legislationCue: insensitive(raw.legislation.cue),
    legislationAuthor: raw.legislation.author,
    bodies: raw.bodies.map((body) => ({ name: body.name, kind: body.kind, patterns: body.patterns.map((source) => new RegExp(source, "u")) })),
    // Organisation names are capitalised: these two are case-sensitive.
    namedBody: new RegExp(raw.namedBody, "u"),
    council: raw.council.map((source) => new RegExp(source, "gu")),
    councilKinds: new Set(raw.councilKinds),
    providerKinds: new Set(raw.providerKinds),
    providerName: new RegExp(raw.providerName, "mu"),
    titleReject: raw.title.reject.map((source) => insensitive(source)),
    titleSkip: raw.title.skipLines.map((source) => insensitive(source)),
    titleMaxLength: raw.title.maxLength,
    published: insensitive(raw.date.published),
    notPublication: raw.date.notPublication.map((source) => insensitive(source)),
    dateLineMaxLength: raw.date.lineMaxLength,
    nouns: raw.nouns.map((entry) => ({ noun: entry.noun, pattern: insensitive(entry.pattern) })),
    kindNouns: raw.kindNouns,
    search: raw.search,
  };
  return compiled;
}

/** Weights the identity-aware searcher uses (identity-patterns.json, "search"). */
export function identitySearchWeights(): { otherCouncilPenalty: number } {
  return patterns().search;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const monthPattern = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
// File names join words with "_" and "-", so the edges are "not a letter or digit" rather than word boundaries.
const dayMonthYear = new RegExp(`(?:(?<![\\p{L}\\d.])(\\d{1,2})(?:st|nd|rd|th)?[\\s_-]+)?(?<![\\p{L}])(${monthPattern})[\\s_-]+((?:19|20)\\d{2})(?!\\d)`, "iu");
const isoDate = /(?<![\d])((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?(?![\d])/;

function monthNumber(name: string): number {
  return months.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3))) + 1;
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/** "01 february 2023" -> "2023-02-01", "Dec_2023" -> "2023-12", "2019-06-30" kept; null when the text holds no date. */
export function parseDocumentDate(text: string): string | null {
  const iso = isoDate.exec(text);
  if (iso) {
    const month = Number(iso[2]);
    const day = iso[3] ? Number(iso[3]) : null;
    if (month >= 1 && month <= 12 && (day === null || (day >= 1 && day <= 31))) return `${iso[1]}-${iso[2]}${day !== null ? `-${iso[3]}` : ""}`;
  }
  const match = dayMonthYear.exec(text);
  if (!match) return null;
  const month = monthNumber(match[2] ?? "");
  if (month < 1) return null;
  const day = match[1] ? Number(match[1]) : null;
  return day !== null && day >= 1 && day <= 31 ? `${match[3]}-${two(month)}-${two(day)}` : `${match[3]}-${two(month)}`;
}

/** A date line on a title page ("July 2013", "V1.2 April 2024", "… Research Unit April 2013"): a short line ending in a date. */
function titlePageDate(lines: string[]): string | null {
  const { notPublication, dateLineMaxLength } = patterns();
  const endsWithDate = new RegExp(`(?:\\b\\d{1,2}(?:st|nd|rd|th)? )?\\b${monthPattern} (?:19|20)\\d{2}$`, "i");
  for (const line of lines) {
    if (line.length > dateLineMaxLength || notPublication.some((pattern) => pattern.test(line))) continue;
    const found = endsWithDate.exec(line);
    if (found) return parseDocumentDate(found[0]);
  }
  return null;
}

function guessDate(fileName: string, title: string | null, front: string, openingLines: string[], sourceKind: AuthorityKind): string | null {
  const published = patterns().published.exec(front)?.groups?.["date"];
  if (published) return parseDocumentDate(published);
  const fromName = parseDocumentDate(fileName.replace(/\.[a-z0-9]+$/i, ""));
  if (fromName) return fromName;
  const onTitlePage = titlePageDate(openingLines);
  if (onTitlePage) return onTitlePage;
  // A period ("2023-25", "2017 to 2024"): a strategy dates from its start, a data set from its latest year.
  const period = parsePeriod(`${fileName.replace(/_/g, " ")} ${title ?? ""}`);
  if (period) return String(sourceKind === "market_research" || /\.(?:csv|xlsx?)$/i.test(fileName) ? period.to : period.from);
  const year = /(?<![\d.])((?:19|20)\d{2})(?![\d.])/.exec(`${fileName} ${title ?? ""}`);
  return year?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Guessing

export interface IdentityInput {
  fileName: string;
  /** The loader's title (PDF metadata or first heading), often useful, sometimes a template's placeholder. */
  title: string | null;
  /** The document's units in order; the first three and the last are read. */
  units: readonly Pick<UnitText, "text">[];
  /** The source-authority kind (tagged or guessed); guessed from the name when absent. */
  sourceKind?: AuthorityKind;
  /** The provider's own organisation name (profile), so that its own documents are known as its own. */
  organisationName?: string | undefined;
}

type Guess = Omit<DocumentIdentity, "tagged">;

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function splitLines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => tidy(line))
    .filter((line) => line.length > 0);
}

/** A table row ("a | b | c") or a line mostly of figures is no title. */
function tableLike(line: string): boolean {
  const digits = line.replace(/[^\d]/g, "").length;
  return line.includes(" | ") || line.includes("\t") || digits > line.length * 0.3;
}

function usefulTitle(title: string | null, fileName: string): string | null {
  if (title === null) return null;
  const cleaned = tidy(title.replace(/^[^\p{L}\p{N}]+/u, ""));
  const { titleReject, titleMaxLength } = patterns();
  if (cleaned.length < 3 || cleaned.length > titleMaxLength || titleReject.some((pattern) => pattern.test(cleaned))) return null;
  // A title the same as the file name is kept unless it looks like one (underscores, an extension: rejected above).
  void fileName;
  return cleaned;
}

function firstTitleLine(lines: string[]): string | null {
  const { titleSkip, titleMaxLength, titleReject } = patterns();
  for (const line of lines.slice(0, 6)) {
    const cleaned = tidy(line.replace(/^[^\p{L}\p{N}]+/u, ""));
    if (tableLike(line) || titleSkip.some((pattern) => pattern.test(cleaned)) || parseDocumentDate(cleaned) === cleaned) continue;
    if (cleaned.length < 3 || cleaned.length > titleMaxLength || titleReject.some((pattern) => pattern.test(cleaned))) continue;
    return cleaned;
  }
  return null;
}

/** An author name's kind: a council, one of the known bodies, the provider itself, or another body. */
export function classifyAuthor(name: string, organisationName?: string): AuthorKind {
  if (organisationName && name.trim().toLowerCase() === organisationName.trim().toLowerCase()) return "provider";
  const known = patterns().bodies.find((body) => body.name.toLowerCase() === name.trim().toLowerCase() || body.patterns.some((pattern) => pattern.test(name)));
  if (known) return known.kind;
  if (/\bcouncil\b|\bborough of\b/i.test(name) || resolveLocalAuthority(name)?.toLowerCase() === name.trim().toLowerCase()) return "council";
  return "other";
}

interface Mention {
  at: number;
  name: string;
  kind: AuthorKind;
  place?: string;
}

/** Councils named in a text ("Kent County Council", "London Borough of Camden") whose place is an English LA. */
function councilMentions(text: string): Mention[] {
  const found: Mention[] = [];
  for (const pattern of patterns().council) {
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
      const rawPlace = match.groups?.["place"] ?? "";
      // "Sunderland City Council" holds "Sunderland"; the longest LA name inside the matched words decides.
      const place = findLocalAuthorities(rawPlace).at(-1);
      if (!place) continue;
      const name = tidy(match.groups?.["name"] ?? match[0]);
      const start = name.toLowerCase().indexOf(place.toLowerCase().split(" ")[0] ?? "");
      found.push({ at: match.index ?? 0, name: start > 0 && !/^(?:London|Royal) Borough/i.test(name) ? name.slice(start) : name, kind: "council", place });
    }
  }
  return found;
}

function bodyMentions(text: string): Mention[] {
  const found: Mention[] = [];
  for (const body of patterns().bodies) {
    for (const pattern of body.patterns) {
      const match = pattern.exec(text);
      if (match) found.push({ at: match.index, name: body.name, kind: body.kind });
    }
  }
  const named = patterns().namedBody.exec(text);
  if (named?.groups?.["name"]) found.push({ at: named.index, name: tidy(named.groups["name"]), kind: "other" });
  return found;
}

function earliest(mentions: Mention[]): Mention | undefined {
  return [...mentions].sort((left, right) => left.at - right.at)[0];
}

/** The identity a document's own first pages give it; every field is a guess. */
export function guessDocumentIdentity(input: IdentityInput): Guess {
  const compiledPatterns = patterns();
  const { fileName } = input;
  const sourceKind = input.sourceKind ?? guessSourceAuthority(fileName, input.title).kind;
  let opening = (input.units[0]?.text ?? "").slice(0, 2500);
  for (const pattern of compiledPatterns.inspectionIgnore) opening = opening.replace(pattern, " ");
  const openingLines = splitLines(opening);
  const front = input.units
    .slice(0, 3)
    .map((unit) => unit.text)
    .join("\n\n")
    .slice(0, 12_000);
  const back = input.units.length > 3 ? (input.units.at(-1)?.text ?? "").slice(-4000) : "";
  const loaderTitle = input.title ? tidy(input.title) : null;
  const cueText = `${loaderTitle ?? ""}\n${opening}`;

  const inspection = compiledPatterns.inspectionCues.some((pattern) => pattern.test(cueText));

  // Title: an inspection's own title line, else a useful metadata title, else the first title-like line.
  let inspectionTitle: string | undefined;
  for (const line of inspection ? [loaderTitle ?? "", ...openingLines.slice(0, 12)] : []) {
    const match = compiledPatterns.inspectionTitleLines.map((pattern) => pattern.exec(line)).find((found) => found !== null);
    if (match) {
      inspectionTitle = tidy(match[0]);
      break;
    }
  }
  const title = inspectionTitle ?? usefulTitle(loaderTitle, fileName) ?? firstTitleLine(openingLines);

  // Author.
  let author: string | null = null;
  let authorKind: AuthorKind | null = null;
  const setAuthor = (name: string, kind: AuthorKind): void => {
    author = name;
    authorKind = kind;
  };
  const publisher = compiledPatterns.publisher.exec(opening)?.groups?.["name"];
  const councils = councilMentions(front);
  if (publisher) setAuthor(tidy(publisher), classifyAuthor(publisher, input.organisationName));
  else if (inspection) setAuthor(compiledPatterns.inspectionAuthor, "inspectorate");
  else if (compiledPatterns.legislationCue.test(opening)) setAuthor(compiledPatterns.legislationAuthor, "government");
  else if (input.organisationName && cueText.toLowerCase().includes(input.organisationName.toLowerCase())) setAuthor(input.organisationName, "provider");
  else if (compiledPatterns.providerKinds.has(sourceKind)) {
    const named = compiledPatterns.providerName.exec(front)?.groups?.["name"];
    setAuthor(input.organisationName ?? (named ? tidy(named) : "the provider"), "provider");
  }

  // Subject authority: the council an inspection names in its title line, a council author's own area, or the one
  // LA the file name, title or opening names.
  let about: string | null = null;
  if (inspection) {
    for (const pattern of compiledPatterns.inspectionSubject) {
      const place = pattern.exec(`${title ?? ""}\n${openingLines.slice(0, 12).join("\n")}`)?.groups?.["place"];
      const found = place ? findLocalAuthorities(place).at(-1) : undefined;
      if (found) {
        about = found;
        break;
      }
    }
  }

  if (author === null) {
    const openingMention = earliest([...bodyMentions(cueText), ...councilMentions(cueText)]);
    if (openingMention) {
      setAuthor(openingMention.name, openingMention.kind);
      if (openingMention.place && about === null) about = openingMention.place;
    }
  }
  about ??= documentLocalAuthority({ fileName, title: [title, loaderTitle].filter(Boolean).join(" ") || null, opening }) ?? null;
  if (author === null && about !== null && compiledPatterns.councilKinds.has(sourceKind)) {
    // A council's own strategy: its formal name when the document gives it, else the area's name.
    const formal = councils.find((mention) => mention.place === about);
    setAuthor(formal?.name ?? about, "council");
  }
  if (author === null) {
    const later = earliest(bodyMentions(back)) ?? earliest(bodyMentions(front));
    if (later) setAuthor(later.name, later.kind);
  }

  return { title, author, authorKind, about, date: guessDate(fileName, loaderTitle, front, openingLines, sourceKind) };
}

// ---------------------------------------------------------------------------------------------------------------
// Store

const datePattern = /^(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?$/;

const guessSchema = z.object({
  hash: z.string(),
  title: z.string().nullable(),
  author: z.string().nullable(),
  authorKind: z.enum(authorKinds).nullable(),
  about: z.string().nullable(),
  date: z.string().nullable(),
});

const tagSchema = z.object({
  title: z.string().nullable().optional(),
  author: z.string().nullable().optional(),
  authorKind: z.enum(authorKinds).nullable().optional(),
  about: z.string().nullable().optional(),
  date: z.string().regex(datePattern).nullable().optional(),
});

export type IdentityTag = z.infer<typeof tagSchema>;

export function identityTagKey(fileName: string): string {
  return `identity:${fileName}`;
}

export function identityGuessKey(fileName: string): string {
  return `identity-guess:${fileName}`;
}

/** A document's tagged identity fields (`hearth tag`), kept as the setting "identity:<file name>". */
export function identityTagSetting(fileName: string): SettingDefinition<IdentityTag> {
  return { key: identityTagKey(fileName), schema: tagSchema };
}

/** The identity guessed at ingest with the content hash it was read from, kept as "identity-guess:<file name>". */
export function identityGuessSetting(fileName: string): SettingDefinition<z.infer<typeof guessSchema>> {
  return { key: identityGuessKey(fileName), schema: guessSchema };
}

function unitsForGuess(units: readonly UnitText[]): UnitText[] {
  return units.length > 4 ? [...units.slice(0, 3), units.at(-1)!] : [...units];
}

/** Reads and keeps a freshly ingested document's identity guess (called by ingest after the document is written). */
export async function recordDocumentIdentity(
  store: Store,
  document: Pick<DocumentRecord, "fileName" | "title" | "contentHash">,
  units: readonly UnitText[],
): Promise<void> {
  const guess = guessDocumentIdentity({
    fileName: document.fileName,
    title: document.title,
    units: unitsForGuess(units),
    sourceKind: (await describeSourceAuthority(store, document)).kind,
    organisationName: (await getProfile(store)).name,
  });
  await store.settings.set(identityGuessSetting(document.fileName), { hash: document.contentHash, ...guess });
}

async function storedGuess(store: Pick<Store, "settings" | "documents">, document: DocumentRecord): Promise<Guess> {
  const stored = await store.settings.get(identityGuessSetting(document.fileName));
  if (stored !== undefined && stored.hash === document.contentHash) {
    const { hash: _hash, ...guess } = stored;
    return guess;
  }
  // Ingested before identities were kept (or by another tool): read it from the stored page texts now.
  const units = (await store.documents.unitTexts([document.id])).get(document.id) ?? [];
  return guessDocumentIdentity({
    fileName: document.fileName,
    title: document.title,
    units: unitsForGuess(units),
    sourceKind: (await describeSourceAuthority(store, document)).kind,
    organisationName: (await getProfile(store)).name,
  });
}

/** The document's identity: each tagged field wins over the guess read from its pages. */
export async function describeDocumentIdentity(store: Pick<Store, "settings" | "documents">, document: DocumentRecord): Promise<DocumentIdentity> {
  const guess = await storedGuess(store, document);
  return withTag(guess, await store.settings.get(identityTagSetting(document.fileName)));
}

function withTag(guess: Guess, tag: IdentityTag | undefined): DocumentIdentity {
  if (tag === undefined) return { ...guess, tagged: [] };
  const tagged = identityFields.filter((field) => tag[field] !== undefined);
  return {
    title: tag.title !== undefined ? tag.title : guess.title,
    author: tag.author !== undefined ? tag.author : guess.author,
    authorKind: tag.author !== undefined || tag.authorKind !== undefined ? (tag.authorKind ?? null) : guess.authorKind,
    about: tag.about !== undefined ? tag.about : guess.about,
    date: tag.date !== undefined ? tag.date : guess.date,
    tagged,
  };
}

/** Identities of every document, read once (for searchers and answers that look at many results). */
export function identityLookup(store: Store): (documentId: number) => Promise<DocumentIdentity | undefined> {
  return async (documentId) => (await libraryIdentities(store)).byId(documentId);
}

// ---------------------------------------------------------------------------------------------------------------
// The whole library's identities

const guessFamily: SettingFamily<z.infer<typeof guessSchema>> = { prefix: identityGuessKey(""), schema: guessSchema };
const tagFamily: SettingFamily<IdentityTag> = { prefix: identityTagKey(""), schema: tagSchema };

/**
 * Guesses read from stored pages (documents ingested before identities were kept, or written by another tool), by
 * everything the guess depends on: kept for the process, so a library change re-reads only the documents it touched.
 */
const pageGuesses = new Map<string, Promise<Guess>>();
const pageGuessLimit = 200_000;
/** Documents whose pages are read in one `unitTexts` call when many guesses are missing. */
const pageReadBatch = 200;

export interface LibraryIdentities {
  /** A document's identity (its stored guess under its tags; read from its pages once when no guess was kept). */
  of(document: DocumentRecord): Promise<DocumentIdentity>;
  /** The identity of a document of the library by id, or undefined for an id not in it. */
  byId(documentId: number): Promise<DocumentIdentity | undefined>;
  /** Every document with its identity, in listing order. */
  all(): Promise<{ document: DocumentRecord; identity: DocumentIdentity }[]>;
}

type IdentityStore = Pick<Store, "documents" | "settings" | "version">;

/**
 * The library's identities, read once per library version: the document list, every stored guess and every tag in
 * three calls (`settings.getFamily`), not two settings per document; a change anywhere (another process's too) is
 * seen at the next call by one version read.
 */
export const libraryIdentities: (store: IdentityStore, version?: number) => Promise<LibraryIdentities> = perLibraryVersion(async (store: IdentityStore, version: number) => {
  const [documents, guesses, tags] = await Promise.all([libraryDocuments(store, version), store.settings.getFamily(guessFamily), store.settings.getFamily(tagFamily)]);
  const byId = new Map(documents.map((document) => [document.id, document]));
  let context: Promise<{ authorities: LibraryAuthorities; organisationName: string | undefined }> | undefined;
  const guessContext = (): NonNullable<typeof context> =>
    (context ??= Promise.all([libraryAuthorities(store, version), getProfile(store)]).then(([authorities, profile]) => ({ authorities, organisationName: profile.name })));
  const known = new Map<number, Promise<DocumentIdentity>>();

  const stored = (document: DocumentRecord): Guess | undefined => {
    const guess = guesses.get(document.fileName);
    if (guess === undefined || guess.hash !== document.contentHash) return undefined;
    const { hash: _hash, ...rest } = guess;
    return rest;
  };
  const pageKey = async (document: DocumentRecord): Promise<string> => {
    const { authorities, organisationName } = await guessContext();
    return [document.contentHash, document.fileName, document.title ?? "", authorities.of(document).kind, organisationName ?? ""].join("\u0000");
  };
  const fromPages = async (document: DocumentRecord, units: readonly UnitText[]): Promise<Guess> => {
    const { authorities, organisationName } = await guessContext();
    return guessDocumentIdentity({
      fileName: document.fileName,
      title: document.title,
      units: unitsForGuess(units),
      sourceKind: authorities.of(document).kind,
      organisationName,
    });
  };
  /** Guesses of documents with none stored, their pages read `pageReadBatch` documents per call. */
  const readFromPages = async (missing: DocumentRecord[]): Promise<void> => {
    const keys = await Promise.all(missing.map(pageKey));
    const unread = missing.filter((_, index) => !pageGuesses.has(keys[index]!));
    for (let start = 0; start < unread.length; start += pageReadBatch) {
      const batch = unread.slice(start, start + pageReadBatch);
      const pages = store.documents.unitTexts(batch.map((document) => document.id));
      for (const document of batch) {
        const key = await pageKey(document);
        if (pageGuesses.size >= pageGuessLimit) pageGuesses.clear();
        const guess = pages.then((read) => fromPages(document, read.get(document.id) ?? []));
        pageGuesses.set(key, guess);
        guess.catch(() => pageGuesses.delete(key));
      }
      await pages;
    }
  };
  /**
   * Stores the guesses just read from pages, as ingest stores a new document's (one write for all of them: the
   * library version moves once), so the next process reads them instead of every document's pages again (at 11,758
   * documents: ~9 s of Node and ~15 s of database time per process). A store that refuses the write (a read-only
   * replica) keeps reading them from pages, once per process.
   */
  const keepPageGuesses = async (missing: DocumentRecord[]): Promise<void> => {
    const entries = await Promise.all(
      missing.map(async (document) => {
        const guess = await pageGuesses.get(await pageKey(document));
        return guess === undefined ? [] : [{ setting: identityGuessSetting(document.fileName), value: { hash: document.contentHash, ...guess } }];
      }),
    );
    try {
      await store.settings.setMany(entries.flat());
    } catch {
      // Not kept: read from pages again by the next process.
    }
  };
  const guessOf = async (document: DocumentRecord): Promise<Guess> => {
    const kept = stored(document);
    if (kept) return kept;
    const key = await pageKey(document);
    if (!pageGuesses.has(key)) await readFromPages([document]);
    return (await pageGuesses.get(key)) ?? fromPages(document, []);
  };
  const of = (document: DocumentRecord): Promise<DocumentIdentity> => {
    let identity = known.get(document.id);
    if (!identity) {
      identity = guessOf(document).then((guess) => withTag(guess, tags.get(document.fileName)));
      known.set(document.id, identity);
    }
    return identity;
  };
  let everything: Promise<{ document: DocumentRecord; identity: DocumentIdentity }[]> | undefined;
  return {
    of,
    byId: async (documentId) => {
      const document = byId.get(documentId);
      return document ? of(document) : undefined;
    },
    all: () =>
      (everything ??= (async () => {
        const missing = documents.filter((document) => stored(document) === undefined);
        if (missing.length > 0) {
          await readFromPages(missing);
          await keepPageGuesses(missing);
        }
        return Promise.all(documents.map(async (document) => ({ document, identity: await of(document) })));
      })().catch((error: unknown) => {
        // Not kept: the next call tries again.
        everything = undefined;
        throw error;
      })),
  };
});

export interface IdentityTagInput {
  title?: string | undefined;
  author?: string | undefined;
  authorKind?: string | undefined;
  about?: string | undefined;
  date?: string | undefined;
}

const noneWords = new Set(["", "none", "-", "null", "national"]);

/**
 * Validates `hearth tag` values: `--about` must name an English LA ("notts" is Nottinghamshire) or "none";
 * `--date` a year, month or day; `--author-kind` one of authorKinds (inferred from `--author` when not given).
 */
export function parseIdentityTag(input: IdentityTagInput, organisationName?: string): Result<IdentityTag> {
  const tag: IdentityTag = {};
  if (input.title !== undefined) tag.title = noneWords.has(input.title.trim().toLowerCase()) ? null : tidy(input.title);
  if (input.author !== undefined) {
    const author = tidy(input.author);
    tag.author = noneWords.has(author.toLowerCase()) ? null : author;
    tag.authorKind = tag.author === null ? null : classifyAuthor(tag.author, organisationName);
  }
  if (input.authorKind !== undefined) {
    const kind = input.authorKind.trim().toLowerCase().replace(/[\s-]+/g, "_");
    const aliases: Record<string, AuthorKind> = { la: "council", local_authority: "council", ofsted: "inspectorate", dfe: "government", own: "provider", body: "other" };
    const resolved = (authorKinds as readonly string[]).includes(kind) ? (kind as AuthorKind) : aliases[kind];
    if (!resolved) {
      return fail(new HearthError("INVALID_INPUT", `--author-kind must be one of ${authorKinds.join(", ")}, not "${input.authorKind}"`, { subject: "--author-kind" }));
    }
    tag.authorKind = resolved;
  }
  if (input.about !== undefined) {
    if (noneWords.has(input.about.trim().toLowerCase())) tag.about = null;
    else {
      const about = resolveLocalAuthority(input.about);
      if (!about) {
        return fail(
          new HearthError("INVALID_INPUT", `--about must name an English local authority (for example Nottinghamshire) or "none", not "${input.about}"`, {
            subject: "--about",
          }),
        );
      }
      tag.about = about;
    }
  }
  if (input.date !== undefined) {
    const text = input.date.trim();
    const date = noneWords.has(text.toLowerCase()) ? null : datePattern.test(text) ? text : parseDocumentDate(text);
    if (date === null && !noneWords.has(text.toLowerCase())) {
      return fail(new HearthError("INVALID_INPUT", `--date must be a year (2023), a month (2023-02) or a day (2023-02-01 or "1 February 2023"), not "${input.date}"`, { subject: "--date" }));
    }
    tag.date = date;
  }
  return ok(tag);
}

/** Tags a document's identity by file name, keeping whatever part of an earlier tag is not replaced. */
export async function tagDocumentIdentity(store: Store, document: DocumentRecord, tag: IdentityTag): Promise<DocumentIdentity> {
  const previous = await store.settings.get(identityTagSetting(document.fileName));
  await store.settings.set(identityTagSetting(document.fileName), { ...previous, ...tag });
  return describeDocumentIdentity(store, document);
}

/** Forgets every tagged identity field of a document (the guess applies again). */
export async function clearIdentityTag(store: Store, document: DocumentRecord): Promise<DocumentIdentity> {
  await store.settings.set(identityTagSetting(document.fileName), {});
  return describeDocumentIdentity(store, document);
}

// ---------------------------------------------------------------------------------------------------------------
// Wording

/** What kind of document it is, in a word or two ("strategy", "inspection report"), for "Kent's strategy says …". */
export function documentNoun(identity: Pick<DocumentIdentity, "title">, fileName: string, sourceKind: AuthorityKind): string {
  const text = `${identity.title ?? ""} ${fileName.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ")}`;
  const compiledPatterns = patterns();
  return compiledPatterns.nouns.find((entry) => entry.pattern.test(text))?.noun ?? compiledPatterns.kindNouns[sourceKind] ?? "document";
}

/** A one-line description for `hearth list` and `hearth tag`. */
export function describeIdentityLine(identity: DocumentIdentity): string {
  const mark = (field: IdentityField): string => (identity.tagged.includes(field) ? "" : "?");
  const parts = [
    identity.title ? `title: ${identity.title}${mark("title")}` : null,
    identity.author ? `author: ${identity.author} (${authorKindLabels[identity.authorKind ?? "other"]})${mark("author")}` : "author: unknown",
    identity.about ? `about: ${identity.about}${mark("about")}` : null,
    identity.date ? `date: ${identity.date}${mark("date")}` : null,
  ];
  return parts.filter((part): part is string => part !== null).join("; ");
}

/** The identity as JSON for `--json` output and the web app: each field with whether it was tagged or guessed. */
export function identitySummary(identity: DocumentIdentity): Record<string, unknown> {
  return {
    title: identity.title,
    author: identity.author,
    authorKind: identity.authorKind,
    about: identity.about,
    date: identity.date,
    source: Object.fromEntries(identityFields.map((field) => [field, identity.tagged.includes(field) ? "tagged" : "guessed"])),
  };
}
