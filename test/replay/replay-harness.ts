/**
 * The replay harness: recorded prompts (the passages retrieval picked over the shared corpus's library/ and real/)
 * with model replies written by hand for them, every sentence labelled. A case is replayed through the real
 * grounded answerer against a loopback server speaking the OpenAI-compatible protocol (streaming or not): the
 * passages go into a small real SQLite store (so quotes are verified on their pages), retrieval returns them in
 * the recorded order (so the reply's [n] mean what they meant), and the checked answer is scored.
 *
 * Labels: {ok} a faithful sentence, {frame} framing or a summary (kept, marked not from the library), {gap} what
 * the library lacks (kept as a gap), {flaw:why} a flawed one (invented, wrong figure, wrong neighbouring citation,
 * unsupported conclusion, invented provider claim). Kept = kept, re-cited or framing; caught = removed, trimmed of
 * its conclusion, or (a wrong citation) re-cited.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import * as z from "zod";
import { createExtractiveAnswerer } from "../../src/answer/extractive-answerer.ts";
import { checkReply, createGroundedAnswerer, evidenceOf } from "../../src/answer/grounded-answerer.ts";
import type { GroundedAnswerer } from "../../src/answer/grounded-answerer.ts";
import type { Answer } from "../../src/answer/types.ts";
import type { Chunk, UnitText } from "../../src/chunking/types.ts";
import { createOpenAICompatible } from "../../src/providers/openai-compatible.ts";
import type { FakeModelServer } from "../../src/providers/testing/fake-model-server.ts";
import { createSearcher } from "../../src/retrieval/search.ts";
import type { SearchResult } from "../../src/retrieval/search.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import type { SqliteStore } from "../../src/store/sqlite-store.ts";

const passageSchema = z.object({
  file: z.string(),
  format: z.string(),
  title: z.string().nullable(),
  page: z.number().nullable(),
  section: z.string().nullable(),
  headingPath: z.array(z.string()),
  kind: z.enum(["text", "table", "notes"]),
  text: z.string(),
});

const caseSchema = z.object({
  id: z.string(),
  kind: z.enum(["answer", "draft"]),
  question: z.string(),
  reply: z.array(z.string()),
  profile: z.string().optional(),
  providerNames: z.array(z.string()).optional(),
  /** Written after the checker was tuned on the others, to see how it does on replies it was not tuned on. */
  holdout: z.boolean().optional(),
  passages: z.array(passageSchema),
});

export type ReplayCase = z.infer<typeof caseSchema>;

export interface LabelledSentence {
  text: string;
  label: "ok" | "frame" | "gap" | "flaw";
  why: string | null;
}

export function loadCases(): ReplayCase[] {
  const folder = new URL("./cases/", import.meta.url);
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => caseSchema.parse(JSON.parse(readFileSync(new URL(name, folder), "utf8"))));
}

const labelPattern = /\s*\{(ok|frame|gap|flaw)(?::([^}]*))?\}/g;

/** The reply as the model sends it (labels removed), and its labelled sentences. */
export function replyOf(replayCase: ReplayCase): { text: string; sentences: LabelledSentence[] } {
  const sentences: LabelledSentence[] = [];
  for (const line of replayCase.reply) {
    let start = 0;
    const body = line.replace(/^(?:- |### )/, "");
    for (const match of body.matchAll(labelPattern)) {
      const sentence = body.slice(start, match.index).trim();
      sentences.push({ text: sentence, label: match[1] as LabelledSentence["label"], why: match[2] ?? null });
      start = (match.index ?? 0) + match[0].length;
    }
  }
  return { text: replayCase.reply.map((line) => line.replace(labelPattern, "")).join("\n"), sentences };
}

/** A store holding the recorded passages, one document per file and one unit per page; results in recorded order. */
export async function storeFor(replayCase: ReplayCase): Promise<{ store: SqliteStore; results: SearchResult[] }> {
  const store = openSqliteStore({ path: ":memory:" });
  const files = [...new Set(replayCase.passages.map((passage) => passage.file))];
  const locate = new Map<string, { documentId: number; start: number; end: number }>();
  for (const file of files) {
    const units: UnitText[] = [];
    const chunks: Chunk[] = [];
    const mine = replayCase.passages.filter((passage) => passage.file === file);
    const unitKeys = [...new Set(mine.map((passage) => `${passage.page ?? ""}\u0000${passage.section ?? ""}`))];
    for (const [index, key] of unitKeys.entries()) {
      const inUnit = [...new Set(mine.filter((passage) => `${passage.page ?? ""}\u0000${passage.section ?? ""}` === key).map((passage) => passage.text))];
      const first = mine.find((passage) => `${passage.page ?? ""}\u0000${passage.section ?? ""}` === key)!;
      let offset = 0;
      for (const text of inUnit) {
        chunks.push({ ordinal: chunks.length, page: first.page, section: first.section, headingPath: first.headingPath, kind: first.kind, text, start: offset, end: offset + text.length });
        offset += text.length + 2;
      }
      units.push({ index, page: first.page, section: first.section, text: inUnit.join("\n\n") });
    }
    const content = units.map((unit) => unit.text).join("\n");
    const record = await store.documents.replace(
      {
        fileName: file,
        sourcePath: `/replay/${replayCase.id}/${file}`,
        contentHash: createHash("sha256").update(content).digest("hex"),
        format: mine[0]!.format as Parameters<SqliteStore["documents"]["replace"]>[0]["format"],
        title: mine[0]!.title,
        byteSize: Buffer.byteLength(content),
        warnings: [],
      },
      units,
      chunks,
    );
    for (const chunk of chunks) locate.set(`${file}\u0000${chunk.text}`, { documentId: record.id, start: chunk.start, end: chunk.end });
  }
  const results: SearchResult[] = replayCase.passages.map((passage, index) => {
    const where = locate.get(`${passage.file}\u0000${passage.text}`)!;
    return {
      chunkId: index + 1,
      documentId: where.documentId,
      fileName: passage.file,
      format: passage.format as SearchResult["format"],
      title: passage.title,
      page: passage.page,
      section: passage.section,
      headingPath: passage.headingPath,
      kind: passage.kind,
      text: passage.text,
      start: where.start,
      end: where.end,
      ordinal: index,
      score: 1,
      signals: { bm25: 0, coverage: 0, proximity: 0, figures: 0 },
    };
  });
  return { store, results };
}

export function answererFor(store: SqliteStore, results: SearchResult[], server: FakeModelServer): GroundedAnswerer {
  return createGroundedAnswerer({
    store,
    model: createOpenAICompatible({ baseURL: server.url, model: "replay-model", maxRetries: 0, timeoutMs: 10_000 }),
    fallback: createExtractiveAnswerer({ store, searcher: createSearcher(store) }),
    retrieve: () => Promise.resolve({ results, note: null }),
  });
}

export type Verdict = "kept" | "lost" | "caught" | "missed";

export interface ScoredSentence extends LabelledSentence {
  outcome: string;
  verdict: Verdict;
  reason: string | null;
}

const plain = (text: string): string =>
  text
    .replace(/\[(?:\d+(?:\s*,\s*\d+)*|photo)\]/g, "")
    .replace(/[*_]/g, "")
    .replace(/\s+([.,;:!?])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();

/** What became of each labelled sentence in a checked answer (or a checked draft). */
export function score(sentences: LabelledSentence[], outcomes: { text: string; outcome: string; reason: string | null }[], gaps: string[]): ScoredSentence[] {
  return sentences.map((sentence) => {
    const found = outcomes.find((candidate) => plain(candidate.text) === plain(sentence.text));
    const outcome = sentence.label === "gap" ? (gaps.some((gap) => plain(sentence.text).toLowerCase().includes(plain(gap).toLowerCase())) ? "gap" : (found?.outcome ?? "missing")) : (found?.outcome ?? "missing");
    const kept = outcome === "kept" || outcome === "repaired" || outcome === "framing" || outcome === "gap";
    const wrongCitation = /citation|row/i.test(sentence.why ?? "");
    const caught = outcome === "removed" || outcome === "trimmed" || (outcome === "repaired" && wrongCitation);
    const verdict: Verdict = sentence.label === "flaw" ? (caught ? "caught" : "missed") : kept ? "kept" : "lost";
    return { ...sentence, outcome, verdict, reason: found?.reason ?? null };
  });
}

/** Every sentence's outcome in a grounded answer: changes from its check, framing, the rest kept. */
export function outcomesOfAnswer(answer: Answer, sentences: LabelledSentence[]): { text: string; outcome: string; reason: string | null }[] {
  const changes = answer.check?.changes ?? [];
  const framing = answer.check?.framing ?? [];
  return sentences.map((sentence) => {
    const change = changes.find((candidate) => plain(candidate.text) === plain(sentence.text));
    if (change) return { text: sentence.text, outcome: change.outcome, reason: change.reason };
    if (framing.some((candidate) => plain(candidate) === plain(sentence.text))) return { text: sentence.text, outcome: "framing", reason: null };
    return { text: sentence.text, outcome: plain(answer.answer).includes(plain(sentence.text)) ? "kept" : "missing", reason: null };
  });
}

/** A draft case: the reply checked with the draft rule (provider sentences from the profile, the rest cited). */
export function checkDraftCase(replayCase: ReplayCase, reply: string, results: SearchResult[]): { text: string; outcome: string; reason: string | null }[] {
  const checked = checkReply(reply, evidenceOf(results), {
    photos: false,
    question: replayCase.question,
    draft: { profile: replayCase.profile ?? "", providerNames: replayCase.providerNames ?? [] },
  });
  return checked.sentences.map((report) => ({ text: report.text, outcome: report.outcome, reason: report.reason }));
}
