/**
 * Requirement, provision and timescale: an answer found in guidance that cites a provision by number ("Regulation 32
 * requires ...") is led by the provision's own words (the paragraph cited, when it names one), and the guidance's
 * plain account supports it; a provision that does not hold what is asked (a timescale for "how long") does not lead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "../retrieval/search.ts";
import { citedParagraphs, createExtractiveAnswerer, paragraphOf } from "./extractive-answerer.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";

const regulations: [string, string][] = [
  ["Regulation 31", "(1) The registered person must ensure that at all times at least one person on duty at the home has a suitable first aid qualification."],
  ["Regulation 32", "(3) The requirements are that the individual has the appropriate experience, qualification and skills for the work that the individual is to perform."],
  [
    "Regulation 32",
    "(4) Staff in a care role have the appropriate qualification if, by the relevant date, the individual has attained the Level 3 Diploma for Residential Childcare.",
  ],
  ["Regulation 32", "(5) The relevant date is the date which falls 2 years after the date on which a new care worker started working in a care role in a home."],
];

const guidance = [
  "# Staff qualifications",
  "Regulation 32(4) of the Regulations requires care staff to hold the Level 3 Diploma for Residential Childcare. Any care worker starting to work in a care role has 2 years to gain the Level 3 Diploma.",
  "# Supervision",
  "Care staff receive supervision from an experienced manager every month.",
].join("\n\n");

// Other subjects, so that the question's words are not in most passages (a library's usual state).
const others = ["fostering allowances", "adoption panels", "school admissions", "youth justice", "short breaks", "kinship care", "health visiting", "speech therapy"]
  .map((subject) => `# ${subject}\n\nThis note describes ${subject} and how long the service for ${subject} is arranged for this year.`)
  .join("\n\n");

describe("a requirement stated from its provision", () => {
  let store: Store;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    store = openSqliteStore({ path: ":memory:" });
    const statute = sampleDocument("Homes Regulations 2015.pdf", { format: "pdf", paged: true, paragraphsPerPage: 2, text: regulations.map(([, text]) => text).join("\n\n") });
    // Each paragraph is its regulation's own text, as the chunker labels a statute's passages.
    statute.chunks.forEach((chunk, index) => Object.assign(chunk, { section: regulations[index]?.[0] ?? null, headingPath: [regulations[index]?.[0] ?? ""] }));
    await store.documents.replace(statute.document, statute.units, statute.chunks);
    for (const [name, text] of [
      ["Guide to the Regulations.md", guidance],
      ["Other notes.md", others],
    ] as const) {
      const document = sampleDocument(name, { format: "markdown", paged: false, paragraphsPerPage: 2, text });
      await store.documents.replace(document.document, document.units, document.chunks);
    }
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  });

  afterAll(async () => {
    await store.close();
  });

  it("reads the paragraph a citation names, and the paragraph a piece of a provision opens", () => {
    expect([...citedParagraphs("meet the requirements in regulation 32(4) and regulation 28 (2)")]).toEqual(["4", "2"]);
    expect(citedParagraphs("Regulation 32 requires").size).toBe(0);
    expect(paragraphOf("(3) The requirements are met.\n(4) An individual who works", "An individual who works")).toBe("4");
    expect(paragraphOf("The requirements are met.", "The requirements are met.")).toBeNull();
  });

  it("leads a timescale question with the provision's timescale, the guidance supporting it", async () => {
    const answer = await answerer.answer("How long does a new care worker have to gain the Level 3 Diploma?");
    expect(answer.refused).toBe(false);
    const [lead, ...rest] = answer.answer.split("\n");
    expect(lead).toMatch(/^Regulation 32: .*2 years after the date/);
    expect(rest.join("\n")).toContain("has 2 years to gain the Level 3 Diploma");
    expect(answer.citations[0]?.file).toBe("Homes Regulations 2015.pdf");
  });

  it("leads with the paragraph the guidance cites", async () => {
    const answer = await answerer.answer("What qualification must care staff hold?");
    expect(answer.answer.split("\n")[0]).toMatch(/^Regulation 32: .*Level 3 Diploma for Residential Childcare/);
  });

  it("keeps the guidance's answer where the provision says nothing of what is asked", async () => {
    const answer = await answerer.answer("How often do care staff receive supervision?");
    expect(answer.answer.split("\n")[0]).toContain("every month");
  });
});
