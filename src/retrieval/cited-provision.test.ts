/**
 * Following a citation: guidance that leads the results and cites a regulation by number ("Regulation 28 ... requires")
 * brings the regulation's own text up beside it, where that text speaks to the question itself.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { citedProvisionLabels, createSearcher } from "./search.ts";

const regulations: [string, string][] = [
  ["Regulation 27", "The registered provider must appoint a person to manage the children's home and give notice of the appointment."],
  [
    "Regulation 28",
    "Fitness of manager. A person has the appropriate experience and qualification to manage a home if the person has worked for at least 2 years in a position relevant to residential care and attained the Level 5 Diploma.",
  ],
  ["Regulation 40", "HMCI is told within 24 hours of any serious event in the home."],
];

const guidance = [
  "Registered manager qualifications. Regulation 28 requires a registered manager to obtain the Level 5 Diploma in Leadership and Management. A registered manager must have the experience and qualification needed. Inspectors also check notifications under regulation 40.",
  ...Array.from({ length: 6 }, (_, index) => `A registered manager (${index + 1}) must have experience of the home and keeps records of staff supervision.`),
].join("\n\n");

async function library(): Promise<Store> {
  const store = openSqliteStore({ path: ":memory:" });
  const statute = sampleDocument("Homes Regulations.txt", { format: "text", paged: false, paragraphsPerPage: 1, text: regulations.map(([, text]) => text).join("\n\n") });
  // Each paragraph is its regulation's own text, as the chunker labels a statute's passages.
  statute.units.forEach((unit, index) => (unit.section = regulations[index]?.[0] ?? null));
  statute.chunks.forEach((chunk, index) => Object.assign(chunk, { section: regulations[index]?.[0] ?? null, headingPath: [regulations[index]?.[0] ?? ""] }));
  await store.documents.replace(statute.document, statute.units, statute.chunks);
  const advice = sampleDocument("Inspection guidance.txt", { format: "text", paged: false, paragraphsPerPage: 1, text: guidance });
  await store.documents.replace(advice.document, advice.units, advice.chunks);
  return store;
}

describe("a provision the leading passage cites", () => {
  it("reads the citations a passage makes, as section labels", () => {
    expect(citedProvisionLabels("Regulation 28 of the Regulations requires ... in breach of regulation 28; see regulations 44 and 45.")).toEqual(["Regulation 28", "Regulation 44"]);
  });

  it("ranks the cited regulation's own text just below the guidance citing it, but not a cited regulation that says nothing asked", async () => {
    const store = await library();
    const searcher = createSearcher(store);
    const results = await searcher.search("What experience must a registered manager have, and what qualification?", { limit: 3 });
    expect(results[0]?.text).toMatch(/^Registered manager qualifications/);
    expect(results[1]?.section).toBe("Regulation 28");
    // Lifted to just below its citer (citedProvision.share of its score before the page bonus), not left at its own, lower score.
    expect(results[1]?.score ?? 0).toBeGreaterThanOrEqual((results[0]?.score ?? 0) * 0.8);
    // Regulation 40 is cited too, but holds none of the question's concepts: it is not lifted beside the guidance.
    const everything = await searcher.search("What experience must a registered manager have, and what qualification?", { limit: 20 });
    const unrelated = everything.find((result) => result.section === "Regulation 40");
    expect(unrelated === undefined || unrelated.score < (everything[0]?.score ?? 0) * 0.5).toBe(true);
    await store.close();
  });

  it("leaves a question that names its own provision to that provision", async () => {
    const store = await library();
    const results = await createSearcher(store).search("What does regulation 40 require of the registered manager?", { limit: 3 });
    expect(results.map((result) => result.section)).toContain("Regulation 40");
    expect(results.some((result) => result.section === "Regulation 28")).toBe(false);
    await store.close();
  });
});
