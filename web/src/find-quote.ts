/** Finds a cited quote in a unit's text, for marking it in the viewer. */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Where the quote is in the text: exactly, or with any run of whitespace matching any other. A table row's quote
 * ("label | £2,278 per week | £2,611 per week") matches its row however the cells are separated in the text (tabs,
 * spaces or bars), so that row, and not every "per week", is marked.
 */
export function findQuote(text: string, quote: string): { start: number; end: number } | undefined {
  const trimmed = quote.trim();
  if (!trimmed) return undefined;
  const exact = text.indexOf(trimmed);
  if (exact >= 0) return { start: exact, end: exact + trimmed.length };
  const words = trimmed.split(/\s+/).slice(0, 200);
  const flexible = new RegExp(words.map(escapeRegExp).join("\\s+")).exec(text);
  if (flexible) return { start: flexible.index, end: flexible.index + flexible[0].length };
  if (!words.includes("|")) return undefined;
  // Cells: words between bars; between cells any tabs, spaces or bars, but not a line break (one row, one line).
  const cells = trimmed
    .split(/\s*\|\s*/)
    .filter((cell) => cell.length > 0)
    .map((cell) => cell.split(/\s+/).map(escapeRegExp).join("[ \\t]+"));
  const row = new RegExp(cells.join("[ \\t|]+")).exec(text);
  return row ? { start: row.index, end: row.index + row[0].length } : undefined;
}
