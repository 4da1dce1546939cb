/**
 * What Hearth's check of a model's reply changed: each removed, re-cited or shortened sentence with why, collapsed
 * under a summary line so the answer reads first. Framing lines kept from the model are counted too.
 */
import type { Answer } from "../api-types.ts";

const verbs = { removed: "Removed", repaired: "Re-cited", trimmed: "Shortened" } as const;

export function AnswerCheck({ check }: { check: NonNullable<Answer["check"]> }) {
  const { changes, framing } = check;
  if (changes.length === 0 && framing.length === 0) {
    return <p className="answer-check checked-clean">Checked against the library: every sentence is supported by the page it cites.</p>;
  }
  const counts = (["removed", "repaired", "trimmed"] as const)
    .map((outcome) => [outcome, changes.filter((change) => change.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${verbs[outcome].toLowerCase()}`);
  return (
    <details className="answer-check" data-testid="answer-check">
      <summary>
        Checked against the library{counts.length > 0 ? `: ${counts.join(", ")}` : ""}
        {framing.length > 0 ? ` · ${framing.length} framing line${framing.length === 1 ? "" : "s"} not from the library` : ""}
      </summary>
      <ul>
        {changes.map((change, index) => (
          <li key={index} data-outcome={change.outcome}>
            <strong>{verbs[change.outcome]}:</strong> <q>{change.text}</q> <span className="reason">because {change.reason}.</span>
          </li>
        ))}
        {framing.map((line, index) => (
          <li key={`framing-${index}`} data-outcome="framing">
            <strong>Kept as framing (not from the library):</strong> <q>{line}</q>
          </li>
        ))}
      </ul>
    </details>
  );
}
