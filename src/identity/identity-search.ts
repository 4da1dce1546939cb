/**
 * Search that knows who each document is about. A question naming a council ("blackpool ILACS judgements") finds
 * that council's documents even when neither the file name nor the title names it (an Ofsted report saved as
 * "children's services inspection - 01 february 2023.pdf" whose pages say "the local authority"): those documents
 * are searched again with the rest of the question, as if their identity had said the name. Passages from a
 * document about another council, which do not name the one asked about, rank a little lower. A wrapper, like
 * the source-authority preference, so that the searcher itself stays one scorer.
 */
import { findLocalAuthorities, localAuthorityPattern, resolveLocalAuthority } from "../market/local-authority-names.ts";
import type { SearchOptions, SearchResult, Searcher } from "../retrieval/search.ts";
import { pageKey } from "../retrieval/search.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import type { DocumentIdentity } from "./document-identity.ts";
import { identitySearchWeights, libraryIdentities } from "./document-identity.ts";
import { perLibraryVersion } from "../store/library-documents.ts";

const identityAware = new WeakSet<Searcher>();

/** The question without the words naming these councils ("blackpool's ILACS" -> "ILACS"), longest names first. */
export function withoutCouncilNames(question: string, councils: readonly string[]): string {
  const tokens = question.split(/\s+/).filter((token) => token.length > 0);
  const kept: string[] = [];
  const bare = (token: string): string => token.replace(/(?:['’]s|['’])?[^\p{L}\p{N}]*$/u, "").replace(/^[^\p{L}\p{N}]+/u, "");
  let index = 0;
  while (index < tokens.length) {
    let skip = 0;
    for (let length = Math.min(5, tokens.length - index); length >= 1 && skip === 0; length--) {
      const window = tokens.slice(index, index + length).map(bare);
      const named = resolveLocalAuthority(window.join(" "));
      if (!named || !councils.includes(named)) continue;
      // Every word must belong to the name: "of Blackpool" is "of" and a name, not a two-word name.
      const shorter = length > 1 ? [window.slice(1).join(" "), window.slice(0, -1).join(" ")] : [];
      if (shorter.some((text) => resolveLocalAuthority(text) === named)) continue;
      skip = length;
    }
    if (skip > 0) index += skip;
    else kept.push(tokens[index++] ?? "");
  }
  return kept.join(" ");
}

interface IdentifiedDocument {
  document: DocumentRecord;
  identity: DocumentIdentity;
  /** Councils the file name or title names. */
  named: string[];
}

/**
 * Every document with its identity and the councils its name names, once per library version; and by the council
 * each is about (positions in `documents`), so that a search naming a council reads that council's documents, not
 * the whole library's (10k documents and more on a large library, once per search).
 */
const identifiedDocuments = perLibraryVersion(
  async (store: Store, version: number): Promise<{ documents: IdentifiedDocument[]; byId: Map<number, IdentifiedDocument>; byAbout: Map<string, number[]> }> => {
    const documents = (await (await libraryIdentities(store, version)).all()).map(({ document, identity }) => ({
      document,
      identity,
      named: findLocalAuthorities(`${document.fileName.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ")} ${document.title ?? ""}`),
    }));
    const byAbout = new Map<string, number[]>();
    documents.forEach((entry, position) => {
      const about = entry.identity.about;
      if (about === null) return;
      const positions = byAbout.get(about) ?? [];
      positions.push(position);
      byAbout.set(about, positions);
    });
    return { documents, byId: new Map(documents.map((entry) => [entry.document.id, entry])), byAbout };
  },
);

export function withDocumentIdentity(searcher: Searcher, store: Store): Searcher {
  if (identityAware.has(searcher)) return searcher;
  const { otherCouncilPenalty } = identitySearchWeights();

  const search = async (query: string, options: SearchOptions): Promise<SearchResult[]> => {
    const councils = findLocalAuthorities(query);
    if (councils.length === 0) return searcher.search(query, options);
    // One version read for the identities and both searches; identities are worked out again only when the library (or
    // a tag) changed.
    const version = options.libraryVersion ?? (await store.version());
    const { documents, byId, byAbout } = await identifiedDocuments(store, version);
    const allowed = options.documentIds ? new Set(options.documentIds) : null;
    // Documents about a named council whose name and title do not say so: the inner searcher cannot credit them.
    // Those about a named council, in library order.
    const about = [...new Set(councils.flatMap((council) => byAbout.get(council) ?? []))].sort((left, right) => left - right);
    const linked = about
      .map((position) => documents[position]!)
      .filter((entry) => !entry.named.some((name) => councils.includes(name)))
      .filter((entry) => !allowed || allowed.has(entry.document.id))
      .map((entry) => entry.document.id);

    // The caller hears of this search's main search when the first inner one's is done (`onMainSearched`).
    const { onMainSearched: tellCaller, ...own } = options;
    const wider = { ...own, limit: options.limit * 2, libraryVersion: version };
    const merged = new Map<number, SearchResult>();
    const add = (result: SearchResult): void => {
      const known = merged.get(result.chunkId);
      if (!known || known.score < result.score) merged.set(result.chunkId, result);
    };
    // The second search starts once the first's main full-text search has returned, and runs beside its follow-ups
    // and rerank. Not both from the start: the second then finds the first's opening reads remembered (the answer
    // threads' read memo); started together they saved a council question 10-25 ms alone at 1M passages but cost
    // 33-35 ms of CPU an answer against 27-29 with 40 users (docs/benchmarks.md, issue 14, fourteenth stop).
    const rest = withoutCouncilNames(query, councils);
    const second = linked.length > 0 && rest.trim().length > 0 && rest !== query;
    let mainSearched: () => void = () => undefined;
    const firstSearched = new Promise<void>((resolve) => (mainSearched = resolve));
    const first = searcher.search(query, {
      ...wider,
      onMainSearched: () => {
        mainSearched();
        tellCaller?.();
      },
    });
    // A first search that fails (or ends) before its main search still lets the second go, to be awaited below.
    first.then(mainSearched, mainSearched);
    const council = second ? firstSearched.then(() => searcher.search(rest, { ...wider, documentIds: linked })) : Promise.resolve([]);
    // Awaited together below; a failure of either is thrown there, not meanwhile as an unhandled rejection.
    council.catch(() => undefined);
    for (const result of await first) add(result);
    for (const result of await council) add(result);

    // Whether a passage names an asked council: one pattern per council, not the whole list (this runs per result).
    const namePatterns = councils.map(localAuthorityPattern);
    const adjusted = [...merged.values()].map((result) => {
      const about = byId.get(result.documentId);
      const elsewhere =
        about?.identity.about != null &&
        !councils.includes(about.identity.about) &&
        !about.named.some((name) => councils.includes(name)) &&
        !namePatterns.some((pattern) => pattern.test(result.text));
      return elsewhere ? { ...result, score: result.score - otherCouncilPenalty } : result;
    });
    adjusted.sort((left, right) => right.score - left.score);
    // The inner searcher's page cap, kept across the two searches.
    const perPage = options.perPage === undefined ? 1 : options.perPage;
    const onPage = new Map<string, number>();
    const kept: SearchResult[] = [];
    for (const result of adjusted) {
      if (kept.length >= options.limit) break;
      const count = onPage.get(pageKey(result)) ?? 0;
      if (perPage !== null && count >= perPage) continue;
      onPage.set(pageKey(result), count + 1);
      kept.push(result);
    }
    return kept;
  };

  const wrapped: Searcher = { analyse: (query) => searcher.analyse(query), search };
  identityAware.add(wrapped);
  return wrapped;
}
