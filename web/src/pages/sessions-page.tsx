/** Sessions: the saved history of exchanges, each answer with its sources, and exports to Markdown, Word and PDF. */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Citation, Session, SessionSummary, Workspace } from "../api-types.ts";
import { AnswerGaps, AnswerNotes } from "../components/answer-notes.tsx";
import { AnswerText } from "../components/answer-text.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { DocumentViewer } from "../components/document-viewer.tsx";
import { formatDate, placeLabel } from "../format.ts";
import { ErrorMessage } from "../components/error-message.tsx";

interface SessionsPageProps {
  workspace: Workspace;
  selected: string | undefined;
  onSelect(name: string): void;
}

const exports = [
  { format: "md", label: "Markdown" },
  { format: "docx", label: "Word (DOCX)" },
  { format: "pdf", label: "PDF" },
] as const;

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function SessionsPage({ workspace, selected, onSelect }: SessionsPageProps) {
  const [sessions, setSessions] = useState<SessionSummary[]>();
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  const [viewing, setViewing] = useState<Citation>();

  useEffect(() => {
    api
      .sessions(workspace.id)
      .then((result) => setSessions(result.sessions))
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id]);

  useEffect(() => {
    setSession(undefined);
    if (!selected) return;
    api
      .session(workspace.id, selected)
      .then(setSession)
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id, selected]);

  return (
    <div className="sessions-layout">
      <section aria-labelledby="session-list-heading" className="session-list">
        <h2 id="session-list-heading">Saved sessions</h2>
        <ErrorMessage message={error} />
        {sessions === undefined ? (
          <p aria-busy="true">Loading…</p>
        ) : sessions.length === 0 ? (
          <p>No sessions yet. On the Ask page, give a session name to keep the questions and answers here.</p>
        ) : (
          <ul>
            {sessions.map((summary) => (
              <li key={summary.name}>
                <a
                  href={`/sessions/${encodeURIComponent(summary.name)}`}
                  aria-current={summary.name === selected ? "page" : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    onSelect(summary.name);
                  }}
                >
                  <strong>{summary.name}</strong>
                  <span className="meta">
                    {summary.exchangeCount} exchange{summary.exchangeCount === 1 ? "" : "s"} · updated {formatDate(summary.updatedAt)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="session-heading" className="session-detail">
        {!selected ? (
          <p id="session-heading">Choose a session to read it and export it.</p>
        ) : !session ? (
          <p id="session-heading" aria-busy="true">
            Loading {selected}…
          </p>
        ) : (
          <>
            <h2 id="session-heading">{session.name}</h2>
            <p className="meta">Started {formatDate(session.createdAt)}</p>
            <div className="export-buttons" role="group" aria-label="Export">
              {exports.map(({ format, label }) => (
                <a key={format} className="button secondary" href={api.sessionExportUrl(workspace.id, session.name, format)} download>
                  Export {label}
                </a>
              ))}
            </div>
            <ol className="exchanges">
              {session.exchanges.map((exchange, index) => (
                <li key={index} className="exchange">
                  <p className="question">
                    <span className="visually-hidden">Question: </span>
                    {exchange.answer.question}
                    <span className="meta"> · {formatDate(exchange.askedAt)}</span>
                  </p>
                  <div className="answer">
                    <AnswerGaps gaps={exchange.answer.gaps ?? []} />
                    <AnswerText text={exchange.answer.answer} citations={exchange.answer.citations} onCite={setViewing} />
                    <AnswerNotes notes={exchange.answer.notes ?? []} />
                  </div>
                  <CopyButton text={exchange.answer.answer} citations={exchange.answer.citations} label="Copy answer" />
                  {exchange.answer.citations.length > 0 && (
                    <details className="exchange-sources">
                      <summary>Sources ({exchange.answer.citations.length})</summary>
                      <ol>
                        {exchange.answer.citations.map((citation) => (
                          <li key={citation.n} value={citation.n}>
                            <button type="button" className="link-button" onClick={() => setViewing(citation)}>
                              {citation.file}, {placeLabel(undefined, citation.page, citation.section)}
                            </button>
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      {viewing && <DocumentViewer workspaceId={workspace.id} citation={viewing} onClose={() => setViewing(undefined)} />}
    </div>
  );
}
