/**
 * For tests that a fast path reads words as the full Unicode route does, for every character a text may hold: the
 * Basic Multilingual Plane past ASCII, and the characters between two words for which two tokenisers disagree.
 */

/** Every code point of the Basic Multilingual Plane past ASCII, surrogates left out (no character on their own). */
export const basicPlaneBeyondAscii: readonly number[] = Array.from({ length: 0x10000 - 0x80 }, (_, index) => 0x80 + index).filter(
  (point) => point < 0xd800 || point > 0xdfff,
);

/** The code points (hex) whose character, set between two words ("Ab…Cd e"), `actual` reads otherwise than `expected`. */
export function charactersReadOtherwise(actual: (text: string) => readonly string[], expected: (text: string) => readonly string[]): string[] {
  return basicPlaneBeyondAscii
    .filter((point) => {
      const text = `Ab${String.fromCodePoint(point)}Cd e`;
      return actual(text).join(" ") !== expected(text).join(" ");
    })
    .map((point) => point.toString(16));
}
