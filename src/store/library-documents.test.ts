import { afterAll, describe, expect, it } from "vitest";
import { libraryDocuments } from "./library-documents.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { cambridgeshire, somerset } from "./store-contract.ts";

describe("libraryDocuments", () => {
  const store = openSqliteStore({ path: ":memory:" });
  afterAll(() => store.close());

  it("lists the documents once per library state and again after a write", () => {
    let listings = 0;
    const counting = {
      statistics: () => store.statistics(),
      listDocuments: () => {
        listings++;
        return store.listDocuments();
      },
    };
    const first = cambridgeshire();
    store.replaceDocument(first.document, first.units, first.chunks);
    expect(libraryDocuments(counting).map((document) => document.fileName)).toEqual([first.document.fileName]);
    expect(libraryDocuments(counting)).toHaveLength(1);
    expect(listings).toBe(1);
    const second = somerset();
    store.replaceDocument(second.document, second.units, second.chunks);
    expect(libraryDocuments(counting)).toHaveLength(2);
    expect(listings).toBe(2);
    store.removeDocument(libraryDocuments(counting)[0]!.id);
    expect(libraryDocuments(counting)).toHaveLength(1);
    expect(listings).toBe(3);
  });
});
