/**
 * A large document's passages per stem (issue 14). A document of `listStemsFrom` passages or more (a data set's rows,
 * a long report) keeps, for each stem it holds and each block of `stemBlockSize` passages, the ordinals of the block's
 * passages holding that stem in the text or the context: the stems passageTerms writes to each passage's counts and
 * tsvector. A search restricted to such
 * documents (a data set's own search) finds their passages holding a common phrase's words from these lists, instead
 * of reading every passage of the documents and testing its stem counts: at 1M passages a question whose words are
 * sparse in the four data sets it names read and tested 8,218 passages (60-70 ms, each row's counts decompressed) to
 * find 60; from the lists it reads a few rows per stem and block (docs/benchmarks.md, issue 14 sixteenth stop).
 *
 * The lists are written with the document's passages, in the same transaction, and leave with them (ON DELETE
 * CASCADE): a document's passages never change after it is written, so its lists never go stale. Which documents
 * have them is `library_documents.stem_blocks` (not null), not the document's size, so a change of `listStemsFrom`
 * only applies to documents written after it.
 */
import type { WorkspaceQueries } from "./workspace-queries.ts";

/**
 * Each stem's list is kept in blocks of this many ordinals (block n: ordinals n·size to n·size + size − 1), so a
 * search needing the first few passages of a document where a word is common reads the first block's lists, not the
 * word's whole list (a word in all 5,600 rows of a data set: 5,600 ordinals unnested and sorted, 5-10 ms). At 1M
 * passages (41 restricted statements of the dev sets' questions) 128 gave the lowest total and slowest statement
 * against 64 and 256, by a little. Part of the stored form: the lists already written were written with it.
 */
export const stemBlockSize = 128;

/** Stem lists written per statement: a 5,600-row data set holds 15,165 stems in 32,670 (block, stem) lists. */
const listsPerStatement = 2_000;

/**
 * Collects a document's stem lists passage by passage. A document is listed only when every ordinal is a
 * non-negative integer (the chunker's 0, 1, 2, …), as blocks are counted from 0.
 */
export class StemLists {
  /** Per block, each stem's ordinals in the order added. */
  readonly #blocks: Map<string, number[]>[] = [];
  /** Whether every list is ascending with no repeats (passages added in ordinal order, as the store writes them). */
  #ascending = true;
  #listable = true;

  add(ordinal: number, stems: Iterable<string>): void {
    if (!Number.isInteger(ordinal) || ordinal < 0) {
      this.#listable = false;
      return;
    }
    const block = Math.floor(ordinal / stemBlockSize);
    while (this.#blocks.length <= block) this.#blocks.push(new Map());
    const lists = this.#blocks[block]!;
    for (const stem of stems) {
      const list = lists.get(stem);
      if (list === undefined) {
        lists.set(stem, [ordinal]);
        continue;
      }
      if (list[list.length - 1]! >= ordinal) this.#ascending = false;
      list.push(ordinal);
    }
  }

  /** How many blocks the lists span (the document's `stem_blocks`), or null when the document cannot be listed. */
  blocks(): number | null {
    return this.#listable && this.#blocks.length > 0 ? this.#blocks.length : null;
  }

  /** Each (block, stem) with its passages' ordinals, ascending and each once. */
  lists(): { block: number; stem: string; ordinals: number[] }[] {
    return this.#blocks.flatMap((lists, block) =>
      [...lists].map(([stem, ordinals]) => ({
        block,
        stem,
        ordinals: this.#ascending ? ordinals : [...new Set(ordinals)].sort((left, right) => left - right),
      })),
    );
  }
}

/**
 * Writes a document's stem lists and marks it listed (inside the transaction that writes its passages); nothing when
 * it cannot be listed.
 */
export async function insertStemLists(queries: WorkspaceQueries, documentId: number, lists: StemLists): Promise<void> {
  const blocks = lists.blocks();
  if (blocks === null) return;
  const all = lists.lists();
  for (let start = 0; start < all.length; start += listsPerStatement) {
    const batch = all.slice(start, start + listsPerStatement);
    await queries.query(
      `INSERT INTO library_document_stems (workspace_id, document_id, block, stem, ordinals)
       SELECT $1, $2, t.block, t.stem, t.ordinals::integer[] FROM unnest($3::integer[], $4::text[], $5::text[]) AS t(block, stem, ordinals)`,
      // Each list as an array literal ({1,5,9}): one text per list, not a two-dimensional array of unequal rows.
      [documentId, batch.map((list) => list.block), batch.map((list) => list.stem), batch.map((list) => `{${list.ordinals.join(",")}}`)],
    );
  }
  await queries.query("UPDATE library_documents SET stem_blocks = $3 WHERE workspace_id = $1 AND id = $2", [documentId, blocks]);
}

/**
 * The lists of the documents already written when the lists came in (library-search migration 3), from the stems of
 * each passage's tsvector (the same stems the lists are written from). `listedFrom` and `blockSize`: the
 * `listStemsFrom` and `stemBlockSize` of that release, written into the migration as numbers so that its text never
 * changes.
 */
export function stemListsBackfill(listedFrom: number, blockSize: number): string {
  return `
    UPDATE library_documents d SET stem_blocks = x.last / ${blockSize} + 1
      FROM (SELECT c.workspace_id, c.document_id, max(c.ordinal) AS last, min(c.ordinal) AS first FROM library_chunks c
             GROUP BY c.workspace_id, c.document_id HAVING count(*) >= ${listedFrom}) x
     WHERE d.workspace_id = x.workspace_id AND d.id = x.document_id AND x.first >= 0;
    INSERT INTO library_document_stems (workspace_id, document_id, block, stem, ordinals)
      SELECT c.workspace_id, c.document_id, c.ordinal / ${blockSize}, u.stem, array_agg(c.ordinal ORDER BY c.ordinal)
        FROM library_documents d JOIN library_chunks c ON c.workspace_id = d.workspace_id AND c.document_id = d.id
        CROSS JOIN LATERAL unnest(tsvector_to_array(c.terms)) AS u(stem)
       WHERE d.stem_blocks IS NOT NULL
       GROUP BY c.workspace_id, c.document_id, c.ordinal / ${blockSize}, u.stem;`;
}

/**
 * The ids, in ordinal order, of the passages of document `document` (a column of the enclosing statement, whose
 * `stem_blocks` is `blocks`) holding one of the `single` stems or every stem of one of the `longer` groups (each
 * group's stems distinct), from the document's stem lists, block by block: a statement that needs only the first few
 * stops in the first blocks. None for a document without lists. Parameters are added through `parameter`, which
 * returns their placeholder.
 */
export function listedPassages(
  document: string,
  blocks: string,
  { single, longer }: { single: string[]; longer: string[][] },
  parameter: (value: unknown, type: string) => string,
): string {
  // Each list and each passage is looked up by its key as it is needed (`OFFSET 0` keeps a lookup from being pulled up
  // into a join: the planner made one a hash of all 5,600 passages of a data set to take 100 of them, and another a
  // read of every list of a block to take a few).
  const inBlock = `p.workspace_id = $1 AND p.document_id = ${document} AND p.block = b.block`;
  const parts: string[] = [];
  if (single.length > 0) {
    parts.push(`SELECT o.ordinal FROM library_document_stems p CROSS JOIN LATERAL unnest(p.ordinals) AS o(ordinal)
          WHERE ${inBlock} AND p.stem = ANY (${parameter(single, "text[]")})`);
  }
  if (longer.length > 0) {
    const groups = parameter(longer.flatMap((group, index) => group.map(() => index)), "integer[]");
    const stems = parameter(longer.flat(), "text[]");
    const sizes = parameter(longer.flatMap((group) => group.map(() => group.length)), "integer[]");
    // A passage holds a group when each of the group's stems lists it: its (group, ordinal) pairs number the group's size.
    parts.push(`SELECT h.ordinal FROM (SELECT s.grp, s.size, o.ordinal FROM unnest(${groups}, ${stems}, ${sizes}) AS s(grp, stem, size)
            CROSS JOIN LATERAL (SELECT p.ordinals FROM library_document_stems p WHERE ${inBlock} AND p.stem = s.stem OFFSET 0) p
            CROSS JOIN LATERAL unnest(p.ordinals) AS o(ordinal)) h
          GROUP BY h.grp, h.size, h.ordinal HAVING count(*) = h.size`);
  }
  if (parts.length === 0) return `SELECT NULL::bigint AS id WHERE false`;
  // The blocks as an array unnested: the planner estimates 10 rows for that, where it takes generate_series of a
  // column for 1,000, and a statement estimated that large was JIT-compiled (85 ms for one data set's 650 passages).
  return `SELECT c.id FROM unnest(ARRAY(SELECT generate_series(0, ${blocks} - 1))) AS b(block)
      CROSS JOIN LATERAL (SELECT DISTINCT m.ordinal FROM (${parts.join(" UNION ALL ")}) m ORDER BY m.ordinal) l
      CROSS JOIN LATERAL (SELECT c.id FROM library_chunks c WHERE c.workspace_id = $1 AND c.document_id = ${document} AND c.ordinal = l.ordinal OFFSET 0) c`;
}
