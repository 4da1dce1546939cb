/** The searcher's result selection: one result per copy of the same text, the paged copy standing for the rest. */
import { describe, expect, it } from "vitest";
import { createExtractiveAnswerer } from "../answer/extractive-answerer.ts";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { corpusPath } from "../loaders/loader-contract.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { countedVersionReads } from "../store/test-fixtures/counted-version-reads.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { PassageHit, Store, TextQuery } from "../store/types.ts";
import { createSearcher } from "./search.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const table = "Type of Placement | Exampleshire Unit Cost | Average Unit Cost\nIn-house Residential Children's Homes | £2,278 per week | £2,611 per week\nIn-house Foster Care | £460 per week | £432 per week";
const other = "Foster carers in Exampleshire are recruited through the fostering hub and paid a weekly allowance for each child.";

describe.skipIf(withoutCorpus())("search results", () => {
  it("folds the same passage from several files into the copy with a page, keeping the best score", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    for (const [file, format, paged] of [
      ["Exampleshire strategy.txt", "text", false],
      ["Exampleshire strategy.pdf", "pdf", true],
      ["Exampleshire strategy.html", "html", false],
    ] as const) {
      const sample = sampleDocument(corpusPath(`formats/${file}`), { format, paged, paragraphsPerPage: 1, text: `${table}\n\n${other}\n\nThis copy is ${file}.` });
      await store.documents.replace(sample.document, sample.units, sample.chunks);
    }
    const searcher = createSearcher(store);
    const results = await searcher.search("in-house residential children's homes weekly cost", { limit: 5 });
    expect(results.filter((result) => result.text.includes("£2,278")).map((result) => [result.fileName, result.page])).toEqual([["Exampleshire strategy.pdf", 1]]);
    // Different passages are not folded together.
    expect((await searcher.search("foster carers weekly allowance fostering hub", { limit: 5 })).filter((result) => result.text.includes("fostering hub"))).toHaveLength(1);
    // Each file's own line stays: short lines are never taken for copies.
    const everything = await searcher.search("Exampleshire copy", { limit: 10 });
    expect(everything.filter((result) => result.text.startsWith("This copy is")).map((result) => result.fileName).sort()).toEqual([
      "Exampleshire strategy.html",
      "Exampleshire strategy.pdf",
      "Exampleshire strategy.txt",
    ]);
    await store.close();
  });
});

describe.skipIf(withoutCorpus())("a provision asked for by number", () => {
  it("ranks the regulation's own text above passages that cite it, and the answer quotes it", async () => {
    const config = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: "/nonexistent-hearth-test" });
    if (!config.ok) throw config.error;
    const store = openSqliteStore({ path: ":memory:" });
    await ingestPaths(
      [corpusPath("real/The Children's Home (England) regulations 2015.pdf"), corpusPath("real/Guide_to_Children_s_Home_Standards_inc_quality_standards_Version__1.17_FINAL.pdf")],
      { store, config: config.value },
    );
    const searcher = createSearcher(store);
    expect(searcher.analyse("What does reg 12 say?").concepts[0]).toMatchObject({ label: "regulation 12", reference: true });
    const top = (await searcher.search("What does regulation 12 say about protection of children?", { limit: 3 }))[0];
    expect(top).toMatchObject({ fileName: "The Children's Home (England) regulations 2015.pdf", page: 12, section: "Regulation 12" });
    const answer = await createExtractiveAnswerer({ store, searcher }).answer("What does regulation 12 say about protection of children?");
    expect(answer.answer.split("\n")[0]).toMatch(/^Regulation 12: 12\.—\(1\) The protection of children standard is that children are protected from harm/);
    await store.close();
  }, 60_000);
});

describe("a place named in few titles", () => {
  it("marks the question's subject, and is counted again once the library changes", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const add = async (file: string, text: string): Promise<void> => {
      const sample = sampleDocument(`/library/${file}`, { format: "text", paged: false, text });
      await store.documents.replace(sample.document, sample.units, sample.chunks);
    };
    await add("Somerset strategy.txt", "The council commissions residential care placements close to home for children in Somerset.");
    await add("Devon strategy.txt", "Residential care placements are bought through a regional framework with neighbouring councils.");
    const question = "Residential care placements in Somerset";
    const searcher = createSearcher(store);
    const scores = async (): Promise<Map<string, number>> =>
      new Map((await searcher.search(question, { limit: 5 })).map((result) => [result.fileName, result.score]));
    // One title of two names Somerset: the Devon passage, which does not, is from a document about something else.
    const before = await scores();
    // Somerset in most titles names no one document: nothing is off the subject any more.
    for (const index of [1, 2, 3]) await add(`Somerset gardens ${index}.txt`, "Gardens and parks open in the summer.");
    const after = await scores();
    const fresh = new Map((await createSearcher(store).search(question, { limit: 5 })).map((result) => [result.fileName, result.score]));
    expect(after).toEqual(fresh);
    expect(after.get("Devon strategy.txt")! - after.get("Somerset strategy.txt")!).toBeGreaterThan(before.get("Devon strategy.txt")! - before.get("Somerset strategy.txt")!);
    await store.close();
  });
});

describe("the follow-up searches", () => {
  /** Prose passages and a data set named by the question, so the data set's own search follows the main search. */
  const library = async (): Promise<Store> => {
    const store = openSqliteStore({ path: ":memory:" });
    const add = async (file: string, format: "text" | "csv", text: string): Promise<void> => {
      const sample = sampleDocument(`/library/${file}`, { format, paged: false, text });
      await store.documents.replace(sample.document, sample.units, sample.chunks);
    };
    const prose = Array.from({ length: 40 }, (_, index) => `Children's homes in Exampleshire take placements from neighbouring councils (note ${index + 1}).`);
    await add("Exampleshire sufficiency.txt", "text", prose.join("\n\n"));
    const rows = Array.from({ length: 10 }, (_, index) => `Register entry ${index + 1} | Home ${index + 1} | URN 10${index} | Good`);
    await add("Placements register.csv", "csv", rows.join("\n\n"));
    return store;
  };

  /**
   * The store, with the main search's hits counting reads of their text (the rerank reads each), and every search
   * restricted to documents (a follow-up) answered by `followUp`.
   */
  const watched = (store: Store, followUp: (mainTextsRead: () => number, mainHits: number, answer: () => Promise<PassageHit[]>) => Promise<PassageHit[]>): Store => {
    const read = new Set<number>();
    let mainHits = 0;
    const passages = new Proxy(store.passages, {
      get(target, key) {
        if (key !== "searchText") return Reflect.get(target, key, target) as unknown;
        return async (query: TextQuery): Promise<PassageHit[]> => {
          if (query.documentIds !== undefined) return followUp(() => read.size, mainHits, () => target.searchText(query));
          const hits = await target.searchText(query);
          mainHits = hits.length;
          return hits.map((hit) => {
            const { text, ...rest } = hit;
            return Object.defineProperty(rest, "text", {
              enumerable: true,
              get: () => {
                read.add(hit.chunkId);
                return text;
              },
            }) as PassageHit;
          });
        };
      },
    });
    return new Proxy(store, {
      get(target, key) {
        if (key === "passages") return passages;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === "function" ? (value as (...parts: unknown[]) => unknown).bind(target) : value;
      },
    });
  };

  /** Turns of the event loop until `done`, or an error once `turns` have passed. */
  const turnsUntil = async (done: () => boolean, turns: number, failure: string): Promise<void> => {
    for (let turn = 0; turn < turns; turn++) {
      if (done()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(failure);
  };

  const question = "Which children's homes are on the placements register?";

  it("run while the main hits are reranked, and rank as when searched one after the other", async () => {
    const store = await library();
    let followUps = 0;
    const searcher = createSearcher(
      watched(store, async (mainTextsRead, mainHits, answer) => {
        followUps++;
        // Answered only once every main hit's text has been read: a rerank waiting for the follow-up never gets there.
        await turnsUntil(() => mainTextsRead() >= mainHits, 1_000, "the main hits were not reranked while the follow-up was in flight");
        return answer();
      }),
    );
    const results = await searcher.search(question, { limit: 10 });
    expect(followUps).toBe(1);
    expect(results.some((result) => result.fileName === "Placements register.csv")).toBe(true);
    const plain = await createSearcher(store).search(question, { limit: 10 });
    expect(results.map((result) => [result.chunkId, result.score])).toEqual(plain.map((result) => [result.chunkId, result.score]));
    await store.close();
  });

  it("read the library version the search read, once for the whole search", async () => {
    const store = await library();
    const counted = countedVersionReads(store);
    const searcher = createSearcher(counted.store);
    expect((await searcher.search(question, { limit: 10 })).some((result) => result.fileName === "Placements register.csv")).toBe(true);
    expect(counted.reads()).toBe(1);
    // A caller that has read it hands it over: none read here.
    await searcher.search(question, { limit: 10, libraryVersion: await store.version() });
    expect(counted.reads()).toBe(1);
    await store.close();
  });

  it("fail the search when they fail, with no unhandled rejection while the rerank runs", async () => {
    const store = await library();
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const searcher = createSearcher(
        watched(store, async (mainTextsRead) => {
          // Fails while the rerank is under way (after its first slice), not before it starts.
          await turnsUntil(() => mainTextsRead() > 0, 1_000, "the rerank did not start");
          throw new Error("the data set's search failed");
        }),
      );
      await expect(searcher.search(question, { limit: 10 })).rejects.toThrow("the data set's search failed");
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
      await store.close();
    }
  });
});
