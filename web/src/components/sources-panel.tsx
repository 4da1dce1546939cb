/** The side panel listing an answer's sources, each with its quote and a button that opens it. */
import type { Citation } from "../api-types.ts";
import { placeLabel } from "../format.ts";

interface SourcesPanelProps {
  citations: Citation[];
  onOpen(citation: Citation): void;
}

export function SourcesPanel({ citations, onOpen }: SourcesPanelProps) {
  return (
    <aside className="sources-panel" aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      {citations.length === 0 ? (
        <p>The answer cites no sources.</p>
      ) : (
        <ol className="sources">
          {citations.map((citation) => (
            <li key={citation.n} value={citation.n} data-source={citation.n}>
              <p className="source-title">
                <strong>{citation.file}</strong>
                <br />
                {placeLabel(citation.file.toLowerCase().endsWith(".pptx") ? "pptx" : undefined, citation.page, citation.section)}
              </p>
              <blockquote>{citation.quote.length > 320 ? `${citation.quote.slice(0, 320)}…` : citation.quote}</blockquote>
              <button type="button" className="secondary" onClick={() => onOpen(citation)}>
                Open source {citation.n}
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
