/** Tests: a quote verifier with every document of the library loaded (production code loads only what it cites). */
import { createQuoteVerifier } from "../../src/answer/verify-quote.ts";
import type { QuoteVerifier } from "../../src/answer/verify-quote.ts";
import type { Store } from "../../src/store/types.ts";

export async function verifierOverLibrary(store: Pick<Store, "documents">): Promise<QuoteVerifier> {
  const verifier = createQuoteVerifier(store);
  await verifier.load((await store.documents.list()).map((document) => document.id));
  return verifier;
}
