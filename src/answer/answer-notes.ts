/**
 * Hearth's own notes ("Note: ... may be out of date", "2 sentences were left out ...") live in `Answer.notes`, not
 * in the answer's text, so a drafted email's body never carries them and the Ask page shows them in a panel of
 * their own. Older code paths (and stored sessions) wrote them into the text as "Note: " lines: `separateNotes`
 * moves them out; `textWithNotes` puts them back for renderers that print a single text (reports).
 */
import type { Answer } from "./types.ts";

const notePrefix = /^Note:\s+/;

export function separateNotes(answer: Answer): Answer {
  const lines = answer.answer.split("\n");
  const moved = lines.filter((line) => notePrefix.test(line.trim())).map((line) => line.trim().replace(notePrefix, ""));
  if (moved.length === 0) return answer.notes ? answer : { ...answer, notes: [] };
  const text = lines
    .filter((line) => !notePrefix.test(line.trim()))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { ...answer, answer: text, notes: [...(answer.notes ?? []), ...moved] };
}

/** The answer's text followed by its notes, as one text (what reports print). */
export function textWithNotes(answer: Answer): string {
  const notes = answer.notes ?? [];
  const gaps = answer.gaps ?? [];
  return [
    answer.answer.trimEnd(),
    ...gaps.map((gap) => `Not in the library: ${gap}`),
    ...notes.map((note) => `Note: ${note}`),
  ]
    .filter((part) => part.length > 0)
    .join("\n\n");
}
