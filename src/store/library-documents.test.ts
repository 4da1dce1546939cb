import { afterAll, describe, expect, it } from "vitest";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { libraryDocuments } from "./library-documents.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { cambridgeshire, somerset } from "./store-contract.ts";
import type { Store } from "./types.ts";

describe.skipIf(withoutCorpus())("libraryDocuments", () => {
  const store = openSqliteStore({ path: ":memory:" });
  afterAll(() => store.close());

  it("lists the documents once per library state and again after a write", async () => {
    let listings = 0;
    const counting = {
      version: () => store.version(),
      documents: {
        ...store.documents,
        list: () => {
          listings++;
          return store.documents.list();
        },
      },
    } as Pick<Store, "documents" | "version">;
    const first = cambridgeshire();
    await store.documents.replace(first.document, first.units, first.chunks);
    expect((await libraryDocuments(counting)).map((document) => document.fileName)).toEqual([first.document.fileName]);
    expect(await libraryDocuments(counting)).toHaveLength(1);
    expect(listings).toBe(1);
    const second = somerset();
    await store.documents.replace(second.document, second.units, second.chunks);
    expect(await libraryDocuments(counting)).toHaveLength(2);
    expect(listings).toBe(2);
    await store.documents.remove((await libraryDocuments(counting))[0]!.id);
    expect(await libraryDocuments(counting)).toHaveLength(1);
    expect(listings).toBe(3);
    // The very same passages again (a replace the passage statistics cannot see) and a setting both move the version.
    const again = somerset("/elsewhere/Somerset Homes and Horizons Members Briefing.md");
    await store.documents.replace(again.document, again.units, again.chunks);
    expect((await libraryDocuments(counting)).map((document) => document.sourcePath)).toContain(again.document.sourcePath);
    expect(listings).toBe(4);
  });
});
