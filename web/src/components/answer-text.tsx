/**
 * Renders answer text ("### " headings, "- " bullets, paragraphs) with each [n] marker as a button that opens the
 * cited page, and Markdown emphasis: **bold**, *emphasis*, and _framing_ (a line Hearth kept from the model that is
 * not from the library, shown dimmed with a title saying so). Markers without a matching citation stay plain text.
 */
import type { ReactNode } from "react";
import type { Citation } from "../api-types.ts";

interface AnswerTextProps {
  text: string;
  citations: Citation[];
  onCite(citation: Citation): void;
}

/** **bold**, *emphasis* and _framing_ spans of a line, each rendered with its markers. */
function withEmphasis(line: string, citations: Citation[], onCite: (citation: Citation) => void, keyPrefix: string): ReactNode[] {
  const parts = line.split(/(\*\*[^*]+\*\*|(?<![\w*])\*[^*\s][^*]*\*(?![\w*])|(?<!\w)_[^_]+_(?!\w))/);
  return parts.map((part, index) => {
    const key = `${keyPrefix}-e${index}`;
    if (/^\*\*[^*]+\*\*$/.test(part)) return <strong key={key}>{withMarkers(part.slice(2, -2), citations, onCite, key)}</strong>;
    if (/^\*[^*]+\*$/.test(part)) return <em key={key}>{withMarkers(part.slice(1, -1), citations, onCite, key)}</em>;
    if (/^_[^_]+_$/.test(part)) {
      return (
        <em key={key} className="framing" title="Framing from the model: not from the library">
          {withMarkers(part.slice(1, -1), citations, onCite, key)}
        </em>
      );
    }
    return <span key={key}>{withMarkers(part, citations, onCite, key)}</span>;
  });
}

function withMarkers(line: string, citations: Citation[], onCite: (citation: Citation) => void, keyPrefix: string): ReactNode[] {
  const parts = line.split(/(\[\d+\])/);
  return parts.map((part, index) => {
    const marker = /^\[(\d+)\]$/.exec(part);
    const citation = marker ? citations.find((candidate) => candidate.n === Number(marker[1])) : undefined;
    if (!citation) return part;
    const where = citation.page !== null ? `page ${citation.page}` : citation.section ? `section ${citation.section}` : "";
    return (
      <button
        key={`${keyPrefix}-${index}`}
        type="button"
        className="citation-link"
        data-citation={citation.n}
        aria-label={`Source ${citation.n}: ${citation.file}${where ? `, ${where}` : ""}`}
        title={`${citation.file}${where ? `, ${where}` : ""}`}
        onClick={() => onCite(citation)}
      >
        [{citation.n}]
      </button>
    );
  });
}

export function AnswerText({ text, citations, onCite }: AnswerTextProps) {
  const blocks: ReactNode[] = [];
  let bullets: ReactNode[] = [];
  const flush = (key: string): void => {
    if (bullets.length > 0) blocks.push(<ul key={`list-${key}`}>{bullets}</ul>);
    bullets = [];
  };
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    const key = String(index);
    if (line.startsWith("- ")) {
      bullets.push(<li key={key}>{withEmphasis(line.slice(2), citations, onCite, key)}</li>);
      return;
    }
    flush(key);
    if (line.startsWith("### ")) blocks.push(<h3 key={key}>{withEmphasis(line.slice(4), citations, onCite, key)}</h3>);
    else if (line.trim()) blocks.push(<p key={key}>{withEmphasis(line, citations, onCite, key)}</p>);
  });
  flush("end");
  return <div className="answer-text">{blocks}</div>;
}
