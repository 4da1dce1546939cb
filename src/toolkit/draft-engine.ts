/**
 * The template engine: runs a template's retrieval queries through the searcher, fills its sections with cited
 * sentences, LA figures and the organisation profile, and returns the draft as an `Answer` — `[n]` markers, checked
 * quotes — so that it can be added to a session and exported like any answer. Works offline; nothing is invented:
 * a section with no evidence says so.
 */
import { renderRow } from "../answer/extractive-answerer.ts";
import type { Answer, Citation, DraftRecord } from "../answer/types.ts";
import { createPagedCopyFinder, createQuoteVerifier } from "../answer/verify-quote.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { addOutOfDateNotes, libraryAuthorities, withSourceAuthority } from "../authority/source-authority.ts";
import { attributeVoice } from "../identity/attribute-voice.ts";
import { fieldLabels, isListField, tableLabel } from "../market/figures.ts";
import type { LocalAuthorityProfile } from "../market/la-profiles.ts";
import { buildLaProfile, localAuthorityDocuments } from "../market/la-profiles.ts";
import { resolveLocalAuthority } from "../market/local-authority-names.ts";
import { pagePieces } from "../market/page-pieces.ts";
import type { OrganisationProfile } from "../profile/organisation-profile.ts";
import { getProfile, profileFieldDescriptions, signatureBlock } from "../profile/organisation-profile.ts";
import type { ProfileField } from "../profile/organisation-profile.ts";
import type { Searcher } from "../retrieval/search.ts";
import { createSearcher } from "../retrieval/search.ts";
import { contentStems } from "../retrieval/tokenize.ts";
import type { Store } from "../store/types.ts";
import type { EvidenceScope, TaskTemplate, TemplateSection } from "./template-schema.ts";
import { ruleKinds } from "./template-schema.ts";

export interface DraftDependencies {
  store: Store;
  /** Defaults to the library searcher with the source-authority preference. */
  searcher?: Searcher;
}

export interface DraftRequest {
  template: TaskTemplate;
  la?: string | undefined;
  about?: string | undefined;
  now?: Date;
  /**
   * Asked for in the chat: a missing input is a bracketed gap to fill rather than a refusal, and evidence meant
   * for one LA's documents comes from the whole library when no LA was named.
   */
  chat?: boolean;
  /** The organisation's name as the question gave it, used when the profile holds none. */
  organisationName?: string | undefined;
  /** The home's options (age range, beds, specialism) from the request; the profile fills what is not given. */
  options?: DraftOptions | undefined;
  /** A revision asked for in a session: fewer points, more on one subject, or set out as a letter. */
  style?: DraftStyle | undefined;
}

export const draftOptionNames = ["ageRange", "beds", "specialism"] as const;
export type DraftOptionName = (typeof draftOptionNames)[number];
export type DraftOptions = Partial<Record<DraftOptionName, string>>;
export type DraftStyle = NonNullable<DraftRecord["style"]>;

/** The home's options a template's text uses ({ageRange}, {beds}, {specialism}): the forms ask only for these. */
export function templateOptions(template: TaskTemplate): DraftOptionName[] {
  const text = JSON.stringify(template.sections);
  return draftOptionNames.filter((name) => text.includes(`{${name}}`));
}

/** What a missing option shows, so the provider sees what to fill in. */
const optionPrompts: Record<DraftOptionName, { chat: string; command: string }> = {
  ageRange: { chat: "[age range, e.g. 11 to 17]", command: "[age range: use --age-range 11-17]" },
  beds: { chat: "[number of beds]", command: "[number of beds: use --beds N]" },
  specialism: { chat: "[specialism, e.g. SEMH or complex trauma]", command: "[specialism: use --specialism TEXT]" },
};

/**
 * The options the draft uses: the request's, else the organisation profile's. The profile is read by field name so
 * that fields it gains (an age range, a number of beds) fill drafts without a change here.
 */
export function resolveDraftOptions(profile: OrganisationProfile, requested: DraftOptions = {}): DraftOptions {
  const fields = profile as Record<string, unknown>;
  const text = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = fields[name];
      if (typeof value === "string" && value.trim().length > 0) return value.trim();
      if (typeof value === "number") return String(value);
      if (Array.isArray(value) && value.length > 0) return value.join(", ");
    }
    return undefined;
  };
  const resolved: DraftOptions = {};
  const ageRange = requested.ageRange ?? text("ageRange", "ages", "ageRangeServed");
  const beds = requested.beds ?? text("beds", "numberOfBeds", "capacity", "places");
  const specialism = requested.specialism ?? text("specialisms", "specialism");
  if (ageRange) resolved.ageRange = ageRange;
  if (beds) resolved.beds = beds;
  if (specialism) resolved.specialism = specialism;
  return resolved;
}

interface Evidence {
  /** Found by a query built on the user's own subject ({about}). */
  fromAbout: boolean;
  /** Share of the query's words the sentence holds. */
  coverage: number;
  documentId: number;
  file: string;
  page: number | null;
  section: string | null;
  quote: string;
  display: string;
  score: number;
  stems: string[];
}

const sentenceLength = { minimum: 40, maximum: 450 };

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Share of the shorter text's distinct words that the other holds (a word said twice counts once). */
function overlap(left: string[], right: string[]): number {
  const leftWords = new Set(left);
  const rightWords = new Set(right);
  if (leftWords.size === 0 || rightWords.size === 0) return 0;
  return [...rightWords].filter((word) => leftWords.has(word)).length / Math.min(leftWords.size, rightWords.size);
}

/** Fills {la}, {about}, {today}, {profile.x}; returns null for a "?" line with a missing value. */
function fillPlaceholders(line: string, values: Map<string, string | undefined>, chat: boolean): string | null {
  const optional = line.startsWith("?");
  const body = optional ? line.slice(1) : line;
  let missing = false;
  const filled = body.replace(/\{([a-zA-Z.]+)\}/g, (whole, key: string) => {
    const value = values.get(key);
    if (value !== undefined && value.length > 0) return value;
    missing = true;
    if (key.startsWith("profile.")) {
      const field = key.slice("profile.".length) as ProfileField;
      const description = profileFieldDescriptions[field] ?? field;
      return chat ? `[${description}: add it to the organisation profile]` : `[${description}: set with hearth profile set ${field} "..."]`;
    }
    if (key === "la") return chat ? "[the local authority]" : "[local authority: use --la NAME]";
    if (key in optionPrompts) return optionPrompts[key as DraftOptionName][chat ? "chat" : "command"];
    if (key === "about") return chat ? "[what it is about]" : "[about: use --about TEXT]";
    return whole;
  });
  if (optional && missing) return null;
  return filled;
}

function placeholderValues(
  profile: OrganisationProfile,
  la: string | undefined,
  about: string | undefined,
  now: Date,
  options: DraftOptions,
): Map<string, string | undefined> {
  const values = new Map<string, string | undefined>([
    ["la", la],
    ["about", about],
    ["today", now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })],
  ]);
  for (const name of draftOptionNames) values.set(name, options[name]);
  for (const [field, value] of Object.entries(profile)) {
    values.set(`profile.${field}`, Array.isArray(value) ? value.join(", ") : (value as string | undefined));
  }
  return values;
}

/**
 * Which of the provider's own documents (tagged own_policy) the template draws on, found by name or title, and
 * which are missing: the draft says what to add, since only the provider can supply who it is.
 */
function ownDocumentsBlock(template: TaskTemplate, own: readonly { fileName: string; title: string | null }[]): string | null {
  if (template.ownDocuments.length === 0) return null;
  const lines = ["### Your own documents"];
  for (const wanted of template.ownDocuments) {
    const match = new RegExp(wanted.match, "i");
    const found = own.filter((document) => match.test(`${document.fileName.replace(/[_-]+/g, " ")} ${document.title ?? ""}`));
    lines.push(
      found.length > 0
        ? `- ${wanted.label}: ${found.map((document) => document.fileName).join(", ")} (drawn on above where it speaks to a section).`
        : `- ${wanted.label}: not in the library. Add yours and tag it as your own (hearth tag FILE --authority own_policy, or the Library page's Source type) so that drafts cite it.`,
    );
  }
  return lines.join("\n");
}

/** The draft set out as a letter: the cover line stays on top, headings become paragraph leads, then the sign-off. */
function asLetter(blocks: string[], fill: (line: string) => string | null, signature: string | null): string {
  const [cover, ...rest] = blocks;
  const body = rest.map((block) => block.replace(/^### (.+)$/gm, "$1:"));
  const greeting = fill("?Dear {la} commissioning team,") ?? "Dear [recipient],";
  return [cover ?? "", greeting, ...body, "Yours sincerely,", signature ?? "[Your name and role]"].join("\n\n");
}

export async function draftFromTemplate(dependencies: DraftDependencies, request: DraftRequest): Promise<Result<Answer>> {
  const { store } = dependencies;
  const { template } = request;
  const now = request.now ?? new Date();
  const searcher = dependencies.searcher ?? withSourceAuthority(createSearcher(store), store, now);
  const verifier = createQuoteVerifier(store);
  const pagedCopy = createPagedCopyFinder(store, verifier);

  let la: string | undefined;
  if (request.la !== undefined && request.la.trim().length > 0) la = resolveLocalAuthority(request.la) ?? request.la.trim();
  const about = request.about?.trim() || undefined;
  const chat = request.chat === true;
  if (template.inputs.la === "required" && !la && !chat) {
    return fail(new HearthError("INVALID_INPUT", `template ${template.id} needs a local authority: --la NAME`, { subject: "--la" }));
  }
  if (template.inputs.about === "required" && !about && !chat) {
    return fail(new HearthError("INVALID_INPUT", `template ${template.id} needs a subject: --about TEXT`, { subject: "--about" }));
  }

  const stored = await getProfile(store);
  const profile = !stored.name && request.organisationName ? { ...stored, name: request.organisationName } : stored;
  const options = resolveDraftOptions(profile, request.options);
  const style: DraftStyle = request.style ?? {};
  const values = placeholderValues(profile, la, about, now, options);
  const fill = (line: string): string | null => fillPlaceholders(line, values, chat);

  const citations: Citation[] = [];
  const citationIndex = new Map<string, number>();
  const cite = async (cited: { documentId?: number; file: string; page: number | null; section: string | null; quote: string }): Promise<number> => {
    // A quote from a file without pages cites the page of another document holding it verbatim, when one does.
    const copy = cited.page === null && cited.documentId !== undefined ? await pagedCopy(cited.documentId, cited.quote) : null;
    const evidence = copy ? { file: copy.fileName, page: copy.page, section: copy.section, quote: copy.quote } : cited;
    const key = `${evidence.file}\u0000${evidence.page ?? ""}\u0000${evidence.quote}`;
    let n = citationIndex.get(key);
    if (n === undefined) {
      n = citations.length + 1;
      citations.push({ n, file: evidence.file, page: evidence.page, section: evidence.section, quote: evidence.quote });
      citationIndex.set(key, n);
    }
    return n;
  };

  // Which documents each scope searches.
  const documents = await store.documents.list();
  // Each document's kind read once, before the sections are drafted.
  const authorities = await libraryAuthorities(store);
  const kinds = documents.map((document) => authorities.of(document).kind);
  const kindOf = new Map(documents.map((document, index) => [document.id, kinds[index]!]));
  const scopeIds = async (scope: EvidenceScope): Promise<number[] | undefined> => {
    if (scope === "library") return undefined;
    if (scope === "la") {
      if (!la) return chat ? undefined : [];
      return ((await localAuthorityDocuments(store)).get(la) ?? []).map((document) => document.id);
    }
    const kinds: readonly string[] = scope === "own" ? ["own_policy"] : ruleKinds;
    return documents.filter((document) => kinds.includes(kindOf.get(document.id) ?? "other")).map((document) => document.id);
  };

  const used: string[][] = [];
  // `distinct`: leave out sentences much like ones already used (evidence points); a checklist's requirements need only
  // differ in wording, since two rules can share most of their words (a manager's Level 5, a worker's Level 3).
  const findEvidence = async (queries: string[], scope: EvidenceScope, prefer: RegExp | null, count: number, only?: RegExp, distinct = 0.6): Promise<Evidence[]> => {
    const scoped = await scopeIds(scope);
    const documentIds = only
      ? (scoped ?? documents.map((document) => document.id)).filter((id) => {
          const document = documents.find((candidate) => candidate.id === id);
          return document !== undefined && only.test(`${document.fileName.replace(/_/g, " ")} ${document.title ?? ""}`);
        })
      : scoped;
    if (documentIds && documentIds.length === 0) return [];
    const candidates: Evidence[] = [];
    for (const rawQuery of queries) {
      // A missing value simply drops out of a query ("{la} need placements" without --la searches the library).
      const query = tidy(rawQuery.replace(/^\?/, "").replace(/\{([a-zA-Z.]+)\}/g, (_whole, key: string) => values.get(key) ?? ""));
      // Within one LA's documents its name tells sentences apart no better than "the".
      const laStems = scope === "la" && la ? new Set(contentStems(la)) : new Set<string>();
      const queryStems = [...new Set(contentStems(query))].filter((word) => !laStems.has(word));
      if (queryStems.length === 0) continue;
      const results = await searcher.search(query, { limit: 8, perPage: 2, ...(documentIds ? { documentIds } : {}) });
      results.forEach((result, rank) => {
        const pieces = pagePieces({ index: 0, page: result.page, section: result.section, text: result.text });
        for (const piece of pieces) {
          if (piece.isRow && !piece.header) continue;
          const display = piece.isRow ? renderRow(piece.header?.join(" | ") ?? null, piece.text) : tidy(piece.text);
          if (display.length < sentenceLength.minimum || display.length > sentenceLength.maximum) continue;
          const stems = contentStems(display);
          const coverage = queryStems.filter((word) => stems.includes(word)).length / queryStems.length;
          if (coverage === 0) continue;
          const preferred = prefer?.test(display) ? 0.5 : 0;
          candidates.push({
            fromAbout: rawQuery.includes("{about}") && about !== undefined,
            coverage,
            documentId: result.documentId,
            file: result.fileName,
            page: result.page,
            section: result.section,
            quote: piece.text,
            display,
            score: coverage + preferred + 0.15 / (rank + 1),
            stems,
          });
        }
      });
    }
    candidates.sort((left, right) => right.score - left.score);
    await verifier.load(candidates.map((candidate) => candidate.documentId));
    // What the user asked about leads, when the library speaks to it at all.
    const onSubject = candidates.find((candidate) => candidate.fromAbout && candidate.coverage >= 0.4);
    if (onSubject) {
      candidates.splice(candidates.indexOf(onSubject), 1);
      candidates.unshift(onSubject);
    }
    const chosen: Evidence[] = [];
    for (const candidate of candidates) {
      if (chosen.length >= count) break;
      if ([...used, ...chosen.map((other) => other.stems)].some((other) => overlap(other, candidate.stems) > distinct)) continue;
      const span = verifier.verify(candidate.documentId, candidate.page, candidate.quote);
      if (!span) continue;
      chosen.push({ ...candidate, quote: span.quote });
    }
    for (const evidence of chosen) used.push(evidence.stems);
    return chosen;
  };

  let laProfile: LocalAuthorityProfile | undefined | null = null;
  const laFigures = async (): Promise<LocalAuthorityProfile | undefined> => {
    if (laProfile === null) laProfile = la ? await buildLaProfile(store, la) : undefined;
    return laProfile;
  };

  const blocks: string[] = [];
  const render = async (section: TemplateSection): Promise<string[]> => {
    const lines: string[] = [];
    // Figures belong to one LA: without --la the section is left out (templates where --la is optional).
    if (section.kind === "figures" && !la) return lines;
    if (section.heading) lines.push(`### ${fill(section.heading) ?? section.heading}`);
    if ("provisions" in section && section.provisions && section.provisions.length > 0) lines.push(`Draws on: ${section.provisions.join("; ")}.`);
    switch (section.kind) {
      case "text": {
        for (const line of section.lines) {
          const filled = fill(line);
          if (filled !== null) lines.push(filled);
        }
        break;
      }
      case "signature": {
        const block = signatureBlock(profile);
        lines.push(...(block ?? '[Your name and role: set with hearth profile set signature "..."]').split("\n"));
        break;
      }
      case "evidence": {
        const prefer = section.prefer ? new RegExp(section.prefer, "i") : null;
        const queries = style.focus ? [...section.queries, `${style.focus} ${section.queries[0] ?? ""}`] : section.queries;
        const points = style.length === "shorter" ? Math.min(section.maxPoints, 1) : style.length === "longer" ? section.maxPoints + 2 : section.maxPoints;
        const found = await findEvidence(queries, section.scope, prefer, points, section.documents ? new RegExp(section.documents, "i") : undefined);
        if (found.length === 0) {
          const empty = section.whenEmpty ?? (section.scope === "la" ? "The library holds no document about {la} that speaks to this." : "The library holds nothing on this yet.");
          lines.push(fill(empty) ?? empty);
          break;
        }
        if (section.intro) {
          const intro = fill(section.intro) ?? (section.introOtherwise ? fill(section.introOtherwise) : null);
          if (intro !== null) lines.push(intro);
        }
        for (const evidence of found) lines.push(`- ${evidence.display} [${await cite(evidence)}]`);
        break;
      }
      case "figures": {
        const figures = await laFigures();
        if (!figures) {
          lines.push(`The library holds no document about ${la ?? "this local authority"}, so no figures are shown.`);
          break;
        }
        if (section.intro) {
          const intro = fill(section.intro);
          if (intro !== null) lines.push(intro);
        }
        for (const field of section.fields) {
          const found = figures.figures.filter((figure) => figure.field === field).slice(0, isListField(field) ? section.maxPerField : 1);
          if (found.length === 0) {
            lines.push(`- ${fieldLabels[field]}: not found in the library`);
            continue;
          }
          for (const figure of found) {
            const n = await cite({ file: figure.file, page: figure.page, section: null, quote: figure.quote });
            const label = tableLabel(field, figure.quote);
            lines.push(
              `- ${fieldLabels[field]}${label ? ` (“${label}”)` : ""}: ${figure.value}${figure.date && !figure.value.includes(figure.date) ? ` (${figure.date})` : ""} [${n}]`,
            );
          }
        }
        break;
      }
      case "checklist": {
        if (section.intro) {
          const intro = fill(section.intro);
          if (intro !== null) lines.push(intro);
        }
        for (const item of section.items) {
          const prefer = item.prefer ? new RegExp(item.prefer, "i") : /\bmust\b|\bshould\b|\bensure\b|\brequire/i;
          const requirement = (await findEvidence([item.requirement], "rules", prefer, 1, item.in ? new RegExp(item.in, "i") : undefined, 0.95))[0];
          const required = requirement ? ` Required: ${requirement.display} [${await cite(requirement)}]` : " Required: not found in the library's regulations and guidance.";
          let found = "";
          if (item.evidence) {
            const evidence = (await findEvidence([item.evidence], "own", null, 1))[0];
            const gap = item.gap ? fill(item.gap) : null;
            found = evidence ? ` Evidence: ${evidence.display} [${await cite(evidence)}]` : ` Gap: ${gap ?? "no evidence found in your own documents."}`;
          }
          lines.push(`- ${fill(item.label) ?? item.label}.${required}${found}`);
        }
        break;
      }
    }
    return lines;
  };

  // The cover line names the template and its version: it leads the draft in the chat and in every export.
  blocks.push(`Template: ${template.title} (${template.id}, version ${template.version}), drafted ${values.get("today") ?? ""}.`);
  for (const section of template.sections) {
    const lines = await render(section);
    if (lines.length > 0) blocks.push(lines.join("\n"));
  }
  if (style.focus) {
    const focus = await render({
      kind: "evidence",
      heading: `More on ${style.focus}`,
      queries: [style.focus, `${style.focus} children's homes`],
      scope: "library",
      maxPoints: 4,
      whenEmpty: `The library holds nothing more on ${style.focus}.`,
    });
    blocks.push(focus.join("\n"));
  }
  const own = ownDocumentsBlock(template, documents.filter((document) => kindOf.get(document.id) === "own_policy"));
  if (own) blocks.push(own);

  const title = `${template.title}${la ? ` — ${la}` : ""}${about ? `: ${about}` : ""}`;
  const body = style.form === "letter" ? asLetter(blocks, fill, signatureBlock(profile)) : blocks.join("\n\n");
  const record: DraftRecord = {
    template: template.id,
    version: template.version,
    ...(la ? { la } : {}),
    ...(about ? { about } : {}),
    ...(Object.keys(options).length > 0 ? { options: options as Record<string, string> } : {}),
    ...(Object.keys(style).length > 0 ? { style } : {}),
  };
  const answer: Answer = {
    question: title,
    answer: body,
    citations,
    mode: "extractive",
    refused: citations.length === 0,
    draft: record,
  };
  return ok(await addOutOfDateNotes(await attributeVoice(answer, store, { addressee: la }), store, now));
}
