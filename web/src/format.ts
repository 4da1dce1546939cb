/** Small display helpers shared by the pages. */

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "Page 4", "Slide 3", or the section heading: where in the document a citation points. */
export function placeLabel(format: string | undefined, page: number | null, section: string | null): string {
  if (page !== null) return `${format === "pptx" ? "Slide" : format === "xlsx" ? "Sheet" : "Page"} ${page}`;
  return section ? `Section “${section}”` : "Whole document";
}

/** What a document's units are called, for the library table. */
export function unitName(format: string, count: number): string {
  const word = format === "pdf" ? "page" : format === "pptx" ? "slide" : format === "xlsx" ? "sheet" : "part";
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "1 passage", "3 passages". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "an admin", "an editor", "a viewer". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}
