/** Source authority: guesses from real file names, tags over guesses, the search preference and out-of-date notes. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerFixture } from "../answer/answer-fixture.ts";
import { libraryFixture } from "../answer/answer-fixture.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import {
  addOutOfDateNotes,
  authorityBoost,
  describeSourceAuthority,
  guessSourceAuthority,
  parseAuthorityDate,
  parseAuthorityKind,
  parsePeriod,
  tagSourceAuthority,
  withSourceAuthority,
} from "./source-authority.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

describe("source authority", () => {
  it("guesses kind and date from the corpus file names", async () => {
    const cases: [string, string, number | null][] = [
      ["The Children's Home (England) regulations 2015.pdf", "statute", 2015],
      ["Guide_to_Children_s_Home_Standards_inc_quality_standards_Version__1.17_FINAL.pdf", "statutory_guidance", null],
      ["Ofsted SCCIF children's homes.txt", "inspection_framework", null],
      ["ofsted-ilacs_kent_02-february-2026.pdf", "inspection_report", 2026],
      ["ofsted-focused-visit_hampshire_07-march-2023.pdf", "inspection_report", 2023],
      ["Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf", "la_strategy", 2025],
      ["Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf", "la_strategy", 2015],
      ["cla_number_and_rate_per_10k_children.csv", "market_research", null],
      ["Behaviour support policy.docx", "own_policy", null],
    ];
    for (const [fileName, kind, year] of cases) expect(guessSourceAuthority(fileName, null), fileName).toMatchObject({ kind, year, source: "guessed" });
    expect(parsePeriod("Strategy 2023-25")).toEqual({ from: 2023, to: 2025 });
    expect(parsePeriod("2011 - 2015")).toEqual({ from: 2011, to: 2015 });
  });

  it("validates tag input with a clear message", async () => {
    expect(parseAuthorityKind("statutory guidance")).toEqual({ ok: true, value: "statutory_guidance" });
    const bad = parseAuthorityKind("gossip");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain("--authority must be one of statute");
    expect(parseAuthorityDate("2011-2015")).toEqual({ ok: true, value: { year: 2015, period: { from: 2011, to: 2015 } } });
    expect(parseAuthorityDate("2019-06-30")).toEqual({ ok: true, value: { year: 2019, period: null } });
    expect(parseAuthorityDate("last year").ok).toBe(false);
  });

  it("keeps a tag by file name, over the guess", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const document = { fileName: "Notes 2019.docx", title: null };
    expect(await describeSourceAuthority(store, document)).toMatchObject({ kind: "other", year: 2019, source: "guessed" });
    await tagSourceAuthority(store, "Notes 2019.docx", { kind: "own_policy" });
    await tagSourceAuthority(store, "Notes 2019.docx", { year: 2024, period: null });
    expect(await describeSourceAuthority(store, document)).toEqual({ kind: "own_policy", year: 2024, period: null, source: "tagged" });
    await store.close();
  });

  it("gives higher authority and newer sources a small bonus", async () => {
    const statute = authorityBoost({ kind: "statute", year: 2015, period: null, source: "guessed" }, 2026);
    const oldStrategy = authorityBoost({ kind: "la_strategy", year: 2015, period: { from: 2011, to: 2015 }, source: "guessed" }, 2026);
    const newStrategy = authorityBoost({ kind: "la_strategy", year: 2025, period: { from: 2023, to: 2025 }, source: "guessed" }, 2026);
    expect(statute).toBeGreaterThan(oldStrategy);
    expect(newStrategy).toBeGreaterThan(oldStrategy);
    expect(Math.max(statute, newStrategy)).toBeLessThan(0.08);
  });

  describe.skipIf(withoutCorpus())("over the shared library", () => {
    let fixture: AnswerFixture;
    beforeAll(async () => {
      fixture = await libraryFixture();
    }, 120_000);

    it("reranks search results by authority without losing them", async () => {
      const query = "placements for looked after children residential";
      const plain = await fixture.searcher.search(query, { limit: 6 });
      const preferred = await withSourceAuthority(fixture.searcher, fixture.store, new Date("2026-06-01")).search(query, { limit: 6 });
      expect(preferred).toHaveLength(6);
      // Each score rises by exactly its source's bonus.
      const now = 2026;
      let compared = 0;
      for (const result of preferred) {
        const before = plain.find((candidate) => candidate.chunkId === result.chunkId);
        if (!before) continue;
        compared++;
        const bonus = authorityBoost(await describeSourceAuthority(fixture.store, { fileName: result.fileName, title: result.title }), now);
        expect(result.score - before.score).toBeCloseTo(bonus, 9);
      }
      expect(compared).toBeGreaterThan(2);
      expect(preferred.every((result, index) => index === 0 || (preferred[index - 1]?.score ?? 0) >= result.score)).toBe(true);
    });

    it("notes when a cited source's period has ended", async () => {
      const answer = await fixture.answerer.answer("What is Cambridgeshire's weekly cost for in-house residential children's homes?");
      expect(answer.citations[0]?.file).toBe("Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf");
      const noted = await addOutOfDateNotes(answer, fixture.store, new Date("2026-06-01"));
      expect(noted.answer).toMatch(/Note: Cambridgeshire Placement Strategy for Looked After Children 2011-2015\.pdf \[1\].* covers 2011-2015; it may be out of date/);
      // In 2014 the same strategy was current.
      expect((await addOutOfDateNotes(answer, fixture.store, new Date("2014-01-01"))).answer).toBe(answer.answer);
    });
  });
});
