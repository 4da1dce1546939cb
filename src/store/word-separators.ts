/**
 * Which characters only separate words, as the full-text index's tokenizer (FTS5's unicode61 with remove_diacritics)
 * reads them: the one rule behind the ASCII fast paths of the index's tokens (passage-tokens.ts), its phrase counter
 * (phrase-occurrences.ts) and the scorer's words (src/retrieval/tokenize.ts), so the three agree on every character.
 *
 * In ASCII everything but letters and digits separates. Beyond it, a character separates only when folded as the
 * index folds it (NFKD, marks removed) it leaves something and nothing that a word is made of (letter, digit,
 * private use), and it has no lower case: curly quotes, dashes, bullets, "£", "§", "€", arrows and no-break spaces
 * do; "é", "ﬁ", "™", "½" and combining marks do not. Text whose every character beyond ASCII separates reads as its
 * ASCII words, with no Unicode pass: most of an English library.
 */

const wordCharacter = /[\p{L}\p{N}\p{Co}]/u;
const marks = /\p{M}/gu;
const beyondAscii = /[\x80-\uffff]/g;

/** Per Basic Multilingual Plane code: 0 not yet worked out, 1 separates, 2 does not. */
const basicPlane = new Uint8Array(0x10000);
const beyondBasicPlane = new Map<number, boolean>();

function worksOut(codePoint: number): boolean {
  const character = String.fromCodePoint(codePoint);
  const folded = character.normalize("NFKD").replace(marks, "");
  return folded !== "" && !wordCharacter.test(folded) && character.toLowerCase() === character;
}

/**
 * Whether the character with this code point (128 or more) only separates words. A surrogate (half of a character
 * beyond the Basic Multilingual Plane, as a scan of UTF-16 code units meets it) does not: its character is left to
 * the Unicode route.
 */
export function separatesWords(codePoint: number): boolean {
  if (codePoint < 0x10000) {
    let known = basicPlane[codePoint]!;
    if (known === 0) {
      known = codePoint >= 0xd800 && codePoint <= 0xdfff ? 2 : worksOut(codePoint) ? 1 : 2;
      basicPlane[codePoint] = known;
    }
    return known === 1;
  }
  let separates = beyondBasicPlane.get(codePoint);
  if (separates === undefined) {
    separates = worksOut(codePoint);
    if (beyondBasicPlane.size >= 10_000) beyondBasicPlane.clear();
    beyondBasicPlane.set(codePoint, separates);
  }
  return separates;
}

/** Whether every character of `text` beyond ASCII only separates words, so that its words are its ASCII ones. */
export function onlySeparatorsBeyondAscii(text: string): boolean {
  // The regular expression finds each code unit beyond ASCII (without building a match), so that the ASCII between
  // them costs nothing here.
  beyondAscii.lastIndex = 0;
  while (beyondAscii.test(text)) {
    const codePoint = text.codePointAt(beyondAscii.lastIndex - 1)!;
    if (!separatesWords(codePoint)) return false;
    if (codePoint > 0xffff) beyondAscii.lastIndex++;
  }
  return true;
}
