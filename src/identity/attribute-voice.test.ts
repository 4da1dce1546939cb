/** Whose words a quote is: a council's "we" attributed to it in answers, and cited in the second person in a letter to it. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerer } from "../answer/create-answerer.ts";
import type { Answer } from "../answer/types.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import { passagesClose, passagesOpen } from "../answer/grounded-answerer.ts";
import { createOpenAICompatible } from "../providers/openai-compatible.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { draftFromTemplate } from "../toolkit/draft-engine.ts";
import { createDraftWriter, draftDocument } from "../toolkit/model-draft.ts";
import { findTemplate, loadTemplateLibrary } from "../toolkit/template-library.ts";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { attributeVoice } from "./attribute-voice.ts";
import { recordDocumentIdentity, tagDocumentIdentity } from "./document-identity.ts";

const strategyText = [
  "Kent Placement Sufficiency Strategy 2024 to 2027",
  "Kent County Council",
  "We have developed four homes for our children in care, which helps us keep them close to home.",
  "We think about placements differently now.",
  "There are 42 children placed more than 20 miles from home.",
].join("\n\n");
const policyText = ["Behaviour support policy", "Lumen Way Homes is committed to calm, predictable care.", "We keep a record of every restraint."].join("\n\n");
const reportText = ["Focused visit to Kent children’s services", "His Majesty’s Inspectors visited.", "Leaders know their services well."].join("\n\n");
const untitledText = ["Notes from the forum", "We will publish the minutes within a month."].join("\n\n");

async function add(store: Store, fileName: string, text: string): Promise<DocumentRecord> {
  const units = [{ index: 0, page: 1, section: null, text }];
  const document = await store.documents.replace(
    { fileName, sourcePath: `/library/${fileName}`, contentHash: fileName.padEnd(64, "0"), format: "pdf", title: null, byteSize: text.length, warnings: [] },
    units,
    [{ ordinal: 0, page: 1, section: null, headingPath: [], kind: "text", text, start: 0, end: text.length }],
  );
  await recordDocumentIdentity(store, document, units);
  return document;
}

function answerOf(text: string, citations: { file: string; quote: string }[]): Answer {
  return {
    question: "q",
    answer: text,
    citations: citations.map((citation, index) => ({ n: index + 1, file: citation.file, page: 1, section: null, quote: citation.quote })),
    mode: "extractive",
    refused: false,
  };
}

describe("attributing a quoted organisation's first person", () => {
  let store: Store;
  const strategy = "Kent sufficiency strategy 2024-2027.pdf";
  const policy = "Behaviour support policy.pdf";
  const report = "Focused visit Kent.pdf";
  const notes = "forum notes.pdf";

  beforeAll(async () => {
    store = openSqliteStore({ path: ":memory:" });
    await add(store, strategy, strategyText);
    await add(store, policy, policyText);
    await add(store, report, reportText);
    const forum = await add(store, notes, untitledText);
    await tagDocumentIdentity(store, forum, { author: null, authorKind: null, title: "Provider forum notes" });
  });

  const developed = "We have developed four homes for our children in care, which helps us keep them close to home.";

  it("reports a council's 'we' as the council's, keeping the citation and its verbatim quote", async () => {
    const answer = answerOf(`${developed} [1]`, [{ file: strategy, quote: developed }]);
    const attributed = await attributeVoice(answer, store);
    expect(attributed.answer).toBe(
      "Kent County Council's strategy says it has developed four homes for its children in care, which helps it keep them close to home. [1]",
    );
    expect(attributed.citations).toEqual(answer.citations);

    const needs = "We also need our partners to help us, and we will fund two homes.";
    expect((await attributeVoice(answerOf(`${needs} [1]`, [{ file: strategy, quote: needs }]), store)).answer).toBe(
      "Kent County Council's strategy says it also needs its partners to help it, and it will fund two homes. [1]",
    );
  });

  it("quotes with attribution when the sentence cannot be turned round, and keeps an answer's own lead-in", async () => {
    const thinking = "We think about placements differently now.";
    expect((await attributeVoice(answerOf(`- ${thinking} [1]`, [{ file: strategy, quote: thinking }]), store)).answer).toBe(
      `- Kent County Council's strategy: “${thinking}” [1]`,
    );
    // A bullet glyph kept in the quote from the PDF is not part of what is said.
    expect((await attributeVoice(answerOf(`- • ${thinking} [1]`, [{ file: strategy, quote: `• ${thinking}` }]), store)).answer).toBe(
      `- Kent County Council's strategy: “${thinking}” [1]`,
    );
    // A labelled value keeps its label; the quote is named after it.
    expect((await attributeVoice(answerOf(`- Planned provision: ${thinking} [1]`, [{ file: strategy, quote: thinking }]), store)).answer).toBe(
      `- Planned provision: “${thinking}” (Kent County Council's strategy) [1]`,
    );
    const partial = `The library does not give the cost; it does say that ${developed} [1]`;
    expect((await attributeVoice(answerOf(partial, [{ file: strategy, quote: developed }]), store)).answer).toMatch(
      /^The library does not give the cost; it does say that Kent County Council's strategy says it has developed four homes/,
    );
  });

  it("names the document when its author is unknown", async () => {
    const sentence = "We will publish the minutes within a month.";
    expect((await attributeVoice(answerOf(`${sentence} [1]`, [{ file: notes, quote: sentence }]), store)).answer).toBe(
      `The document “Provider forum notes”: “${sentence}” [1]`,
    );
  });

  it("leaves the provider's own documents, statements in the third person and wording not found in the quote alone", async () => {
    const own = "We keep a record of every restraint.";
    const statement = "There are 42 children placed more than 20 miles from home.";
    const text = [`${own} [1]`, `${statement} [2]`, "We developed homes for children in Kent quickly. [2]"].join("\n");
    const answer = answerOf(text, [
      { file: policy, quote: own },
      { file: strategy, quote: statement },
    ]);
    expect(await attributeVoice(answer, store)).toBe(answer);
  });

  it("cites the addressed council's own documents in the second person and other bodies by name", async () => {
    const statement = "There are 42 children placed more than 20 miles from home.";
    const praise = "Leaders know their services well.";
    const text = [`- ${developed} [1]`, `- ${statement} [2]`, `- ${praise} [3]`].join("\n");
    const answer = answerOf(text, [
      { file: strategy, quote: developed },
      { file: strategy, quote: statement },
      { file: report, quote: praise },
    ]);
    const letter = await attributeVoice(answer, store, { addressee: "kent" });
    expect(letter.answer.split("\n")).toEqual([
      "- Your strategy notes that you have developed four homes for your children in care, which helps you keep them close to home. [1]",
      "- Your strategy notes that there are 42 children placed more than 20 miles from home. [2]",
      "- Ofsted's inspection report notes that leaders know their services well. [3]",
    ]);
    expect(letter.citations).toEqual(answer.citations);
  });
});

describe.skipIf(withoutCorpus())("Nottinghamshire's strategy, in an answer and in an email to Nottinghamshire", () => {
  let store: Store;
  let dataDir: string;
  const file = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "hearth-voice-"));
    const config = loadConfig({}, { dataDir });
    if (!config.ok) throw config.error;
    store = openSqliteStore({ path: ":memory:" });
    await ingestPaths([corpus(`library/${file}`)], { store, config: config.value });
  }, 120_000);

  it("answers in Nottinghamshire's voice, never the provider's, with the cited quote verbatim", async () => {
    const config = loadConfig({}, { dataDir });
    if (!config.ok) throw config.error;
    const service = createAnswerer({ store, config: config.value });
    if (!service.ok) throw service.error;
    const answered = await service.value.answer("What provision has Nottinghamshire developed for unaccompanied asylum seeking children?");
    if (!answered.ok) throw answered.error;
    const answer = answered.value;
    expect(answer.answer).toContain("Nottinghamshire's strategy says it has developed specific provision for its Unaccompanied Asylum Seeking Children");
    expect(answer.answer).not.toMatch(/(^|\n|- )We have developed/);
    const citation = answer.citations.find((candidate) => candidate.quote.startsWith("We have developed specific provision for our Unaccompanied"));
    expect(citation).toBeDefined();
    const document = (await store.documents.list())[0];
    if (!document || !citation) throw new Error("fixture missing");
    expect((await verifierOverLibrary(store)).verify(document.id, citation.page, citation.quote)).not.toBeNull();
  });

  it("writes the LA email citing the council's own strategy as 'your'", async () => {
    const found = findTemplate(loadTemplateLibrary(null), "la-commissioner-email");
    if (!found.ok) throw found.error;
    const drafted = await draftFromTemplate({ store }, { template: found.value.template, la: "Nottinghamshire", now: new Date("2026-06-01T12:00:00Z") });
    if (!drafted.ok) throw drafted.error;
    const text = drafted.value.answer;
    expect(text).toContain("- Your strategy notes that");
    expect(text).not.toMatch(/^- (We|Our)\b/m);
    expect(text).not.toMatch(/^- Nottinghamshire's strategy/m);
    // The quotes behind the reworded bullets are still the council's own words, checked on their pages.
    const verifier = await verifierOverLibrary(store);
    const document = (await store.documents.list())[0];
    if (!document) throw new Error("fixture missing");
    for (const citation of drafted.value.citations) expect(verifier.verify(document.id, citation.page, citation.quote), citation.quote).not.toBeNull();
    expect(drafted.value.citations.some((citation) => /\b(we|our)\b/i.test(citation.quote))).toBe(true);
  });

  it("attributes a council's words that a language model copied into the email", async () => {
    const server = await startFakeModelServer("openai");
    try {
      const copied = "We have two homes, Oakhurst and Lyndene";
      // A model that lifts the council's sentence into the provider's letter, in the council's first person.
      server.respond = ({ user }) => {
        const block = user.slice(user.indexOf(passagesOpen) + passagesOpen.length, user.indexOf(passagesClose));
        const quoted = block
          .split(/\n\n(?=\[\d+\] File:)/)
          .map((entry) => /^\s*\[(\d+)\] File: [^\n]*\n([\s\S]*)$/.exec(entry))
          .find((match) => match?.[2]?.replace(/\s+/g, " ").includes(copied));
        if (!quoted) return "Dear Nottinghamshire commissioning team,";
        return `Dear Nottinghamshire commissioning team,\n\n${(quoted[2] ?? "").replace(/\s+/g, " ").trim()} [${quoted[1]}]\n\nKind regards,`;
      };
      const writer = createDraftWriter({
        model: createOpenAICompatible({ baseURL: server.url, model: "writer-model", maxRetries: 0, timeoutMs: 5_000 }),
      });
      const found = findTemplate(loadTemplateLibrary(null), "la-commissioner-email");
      if (!found.ok) throw found.error;
      const drafted = await draftDocument({ store, writer }, { template: found.value.template, la: "Nottinghamshire", now: new Date("2026-06-01T12:00:00Z") });
      if (!drafted.ok) throw drafted.error;
      expect(drafted.value.mode, drafted.value.answer.slice(0, 300)).toBe("llm");
      expect(drafted.value.answer).toContain("Your strategy notes that you have two homes, Oakhurst and Lyndene, that will continue to provide homes for these children and you have firm plans");
      expect(drafted.value.answer).not.toMatch(/^We have two homes/m);
      expect(drafted.value.citations.some((citation) => citation.quote.startsWith(copied))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
