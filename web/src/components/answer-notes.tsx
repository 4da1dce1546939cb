/**
 * Around an answer: what the library lacks (shown prominently, before anything else), and Hearth's own notes in a
 * panel of their own, never inside the answer or a drafted email's text.
 */
export function AnswerGaps({ gaps }: { gaps: string[] }) {
  if (gaps.length === 0) return null;
  return (
    <div className="answer-gaps" role="note" data-testid="answer-gaps">
      <strong>Not in the library</strong>
      <ul>
        {gaps.map((gap, index) => (
          <li key={index}>{gap}</li>
        ))}
      </ul>
    </div>
  );
}

export function AnswerNotes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <aside className="answer-notes" aria-label="Notes from Hearth" data-testid="answer-notes">
      <strong>Notes from Hearth</strong>
      <ul>
        {notes.map((note, index) => (
          <li key={index}>{note}</li>
        ))}
      </ul>
    </aside>
  );
}
