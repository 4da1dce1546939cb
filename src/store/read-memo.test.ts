import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { openStore } from "./open-store.ts";
import { memoizeReads } from "./read-memo.ts";
import type { SettingDefinition, Store } from "./types.ts";

const colour: SettingDefinition<string> = { key: "colour", schema: z.string() };
const size: SettingDefinition<number> = { key: "size", schema: z.number() };

describe("memoizeReads: library-wide look-ups read once per piece of work", () => {
  let folder: string;
  let inner: Store;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "hearth-read-memo-"));
    inner = await openStore({ url: folder });
  });
  afterAll(async () => {
    await inner.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("reads the document list, statistics and each setting once until forgotten or written", async () => {
    const list = vi.spyOn(inner.documents, "list");
    const statistics = vi.spyOn(inner.passages, "statistics");
    const get = vi.spyOn(inner.settings, "get");
    const { store, forget } = memoizeReads(inner);

    await inner.settings.set(colour, "green");
    expect(await store.documents.list()).toEqual([]);
    expect(await store.documents.list()).toEqual([]);
    await store.passages.statistics();
    await store.passages.statistics();
    expect(await store.settings.get(colour)).toBe("green");
    expect(await store.settings.get(colour)).toBe("green");
    expect(await store.settings.get(size)).toBeUndefined();
    expect([list.mock.calls.length, statistics.mock.calls.length, get.mock.calls.length]).toEqual([1, 1, 2]);

    // Another process's change is seen after forget() (the next question).
    await inner.settings.set(colour, "blue");
    expect(await store.settings.get(colour)).toBe("green");
    forget();
    expect(await store.settings.get(colour)).toBe("blue");

    // A write through the memoized store forgets at once, so the work sees its own writes.
    await store.settings.set(colour, "red");
    expect(await store.settings.get(colour)).toBe("red");
    expect(await store.documents.list()).toEqual([]);
    expect(list.mock.calls.length).toBe(2);
    expect(store.kind).toBe("sqlite");
  });

  it("reads each term's document frequency once per library version, asking the store only for terms it lacks", async () => {
    let reads = 0;
    const frequencies = vi.spyOn(inner.passages, "documentFrequencies").mockImplementation(async (terms) => {
      reads++;
      // A different count on every read, so a value kept from an earlier read is told apart from a fresh one.
      return new Map(terms.map((term) => [term, term.length * 10 + reads]));
    });
    const { store, forget, refresh } = memoizeReads(inner);
    await refresh();

    expect([...(await store.passages.documentFrequencies(["care", "children"]))]).toEqual([["care", 41], ["children", 81]]);
    expect([...(await store.passages.documentFrequencies(["children", "placement", "care"]))]).toEqual([["children", 81], ["placement", 92], ["care", 41]]);
    expect([...(await store.passages.documentFrequencies(["care"]))]).toEqual([["care", 41]]);
    expect(frequencies.mock.calls).toEqual([[["care", "children"]], [["placement"]]]);

    // The library changed (here: forgotten, as after a write or another process's change): every term is read again.
    forget();
    expect((await store.passages.documentFrequencies(["care"])).get("care")).toBe(43);
    await store.settings.set(colour, "amber");
    expect((await store.passages.documentFrequencies(["care"])).get("care")).toBe(44);
    // refresh() before the next question: the version moved (that write), so they are read again; then an unchanged
    // version keeps them, and another process's write (the inner store's) drops them.
    await refresh();
    expect((await store.passages.documentFrequencies(["care"])).get("care")).toBe(45);
    await refresh();
    expect((await store.passages.documentFrequencies(["care"])).get("care")).toBe(45);
    await inner.settings.set(size, 3);
    await refresh();
    expect((await store.passages.documentFrequencies(["care"])).get("care")).toBe(46);
    frequencies.mockRestore();
  });
});
