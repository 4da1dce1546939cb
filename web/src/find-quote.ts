/** Finds a cited quote in a unit's text, for marking it in the viewer. */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Where the quote is in the text: exactly, or with any run of whitespace matching any other. */
export function findQuote(text: string, quote: string): { start: number; end: number } | undefined {
  const trimmed = quote.trim();
  if (!trimmed) return undefined;
  const exact = text.indexOf(trimmed);
  if (exact >= 0) return { start: exact, end: exact + trimmed.length };
  const words = trimmed.split(/\s+/).slice(0, 200).map(escapeRegExp);
  const match = new RegExp(words.join("\\s+")).exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}
