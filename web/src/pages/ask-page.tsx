/**
 * Ask: a chat over the workspace library. A model's draft streams in marked as being checked ("checking…"), then
 * the checked answer replaces it: [n] markers become buttons that open the cited page, what the library lacks is
 * shown first, what the check removed or re-cited is listed (collapsed) with why, and Hearth's notes sit in a panel
 * of their own. The conversation's recent exchanges go with each question, so follow-ups work; a rewritten
 * follow-up shows the question it was answered as. The side panel lists the sources of the chosen answer.
 */
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Answer, Citation, Workspace } from "../api-types.ts";
import { AnswerCheck } from "../components/answer-check.tsx";
import { AnswerGaps, AnswerNotes } from "../components/answer-notes.tsx";
import { AnswerText } from "../components/answer-text.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { DocumentViewer } from "../components/document-viewer.tsx";
import { TableRowsViewer } from "../components/table-rows-viewer.tsx";
import { SourcesPanel } from "../components/sources-panel.tsx";
import { ErrorMessage } from "../components/error-message.tsx";

export interface Exchange {
  id: number;
  question: string;
  session: string | undefined;
  /** The text streamed so far; replaced by the answer's text when it arrives. */
  streamed: string;
  /** How many pieces the answer arrived in (shown as data-tokens, so the browser tests can see it streamed). */
  tokens: number;
  /** The streamed text is the model's draft, being checked against the library. */
  checking?: boolean;
  answer?: Answer;
  error?: string;
}

interface AskPageProps {
  workspace: Workspace;
  exchanges: Exchange[];
  setExchanges(update: (previous: Exchange[]) => Exchange[]): void;
}

const sessionKey = "hearth.session";

export function AskPage({ workspace, exchanges, setExchanges }: AskPageProps) {
  const [question, setQuestion] = useState("");
  const [session, setSession] = useState(() => window.localStorage.getItem(sessionKey) ?? "");
  const [asking, setAsking] = useState(false);
  const [selected, setSelected] = useState<number>();
  const [viewing, setViewing] = useState<Citation>();
  const abort = useRef<AbortController>(undefined);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: "nearest" });
  }, [exchanges]);

  const update = (id: number, change: (exchange: Exchange) => Exchange): void =>
    setExchanges((previous) => previous.map((exchange) => (exchange.id === id ? change(exchange) : exchange)));

  const ask = async (): Promise<void> => {
    const text = question.trim();
    if (!text || asking) return;
    const sessionName = session.trim() || undefined;
    window.localStorage.setItem(sessionKey, session.trim());
    const id = Date.now();
    // The conversation so far goes with the question (the server prefers a saved session's own history).
    const history = exchanges
      .filter((exchange) => exchange.answer && !exchange.error)
      .slice(-4)
      .map((exchange) => ({ question: exchange.answer!.resolvedQuestion ?? exchange.question, answer: exchange.answer!.answer }));
    setExchanges((previous) => [...previous, { id, question: text, session: sessionName, streamed: "", tokens: 0 }]);
    setSelected(id);
    setQuestion("");
    setAsking(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      await api.ask(
        workspace.id,
        text,
        sessionName,
        {
          onToken: (piece, checking) =>
            update(id, (exchange) => ({ ...exchange, streamed: exchange.streamed + piece, tokens: exchange.tokens + 1, checking: exchange.checking || checking })),
          onAnswer: (answer) => update(id, (exchange) => ({ ...exchange, answer, streamed: answer.answer })),
          onError: (message) => update(id, (exchange) => ({ ...exchange, error: message })),
        },
        controller.signal,
        history,
      );
    } catch (failure) {
      if (!controller.signal.aborted) {
        update(id, (exchange) => ({ ...exchange, error: failure instanceof ApiError ? failure.message : String(failure) }));
      }
    } finally {
      setAsking(false);
    }
  };

  const chosen = exchanges.find((exchange) => exchange.id === selected) ?? exchanges.at(-1);
  const citations = chosen?.answer?.citations ?? [];

  return (
    <div className="ask-layout">
      <section className="chat" aria-label="Conversation">
        {exchanges.length === 0 && (
          <p className="notice">
            Ask about your library: “What does the sufficiency strategy say about placements out of area?” Every sentence of the answer cites
            the page it comes from.
          </p>
        )}
        <ol className="exchanges">
          {exchanges.map((exchange) => {
            const pending = !exchange.answer && !exchange.error;
            return (
              <li
                key={exchange.id}
                className={`exchange${exchange.id === chosen?.id ? " chosen" : ""}`}
                data-testid="exchange"
                onFocus={() => setSelected(exchange.id)}
                onClick={() => setSelected(exchange.id)}
              >
                <p className="question">
                  <span className="visually-hidden">Question: </span>
                  {exchange.question}
                  {exchange.session && <span className="session-tag"> · saved to “{exchange.session}”</span>}
                </p>
                <div
                  className="answer"
                  aria-live="polite"
                  aria-busy={pending}
                  data-testid="answer"
                  data-tokens={exchange.tokens}
                  data-state={exchange.error ? "error" : exchange.answer ? "checked" : exchange.checking ? "checking" : exchange.streamed ? "streaming" : "searching"}
                >
                  {exchange.answer ? (
                    <>
                      {exchange.answer.resolvedQuestion && (
                        <p className="resolved-question" data-testid="resolved-question">
                          Answered as: {exchange.answer.resolvedQuestion}
                        </p>
                      )}
                      <AnswerGaps gaps={exchange.answer.gaps ?? []} />
                      <AnswerText text={exchange.answer.answer} citations={exchange.answer.citations} onCite={setViewing} />
                      {/* The checked text with its sources written out; Hearth's notes stay behind. */}
                      <CopyButton
                        text={exchange.answer.answer}
                        citations={exchange.answer.citations}
                        label={exchange.answer.answer.startsWith("Draft:") ? "Copy draft" : "Copy answer"}
                      />
                      {exchange.answer.check && <AnswerCheck check={exchange.answer.check} />}
                      <AnswerNotes notes={exchange.answer.notes ?? []} />
                    </>
                  ) : exchange.streamed ? (
                    <>
                      {exchange.checking && (
                        <p className="checking-badge" role="status" data-testid="checking">
                          The model’s draft — checking against the library…
                        </p>
                      )}
                      <div className={`streaming${exchange.checking ? " unchecked" : ""}`}>
                        <AnswerText text={exchange.streamed} citations={[]} onCite={setViewing} />
                      </div>
                    </>
                  ) : pending ? (
                    <p className="thinking">Searching the library…</p>
                  ) : null}
                  <ErrorMessage message={exchange.error} />
                </div>
              </li>
            );
          })}
        </ol>
        <div ref={bottom} />
        <form
          className="ask-form"
          onSubmit={(event) => {
            event.preventDefault();
            void ask();
          }}
        >
          <label htmlFor="question">Your question</label>
          <textarea
            id="question"
            rows={3}
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            onKeyDown={(event) => {
              // Enter asks; Shift+Enter starts a new line.
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void ask();
              }
            }}
            maxLength={2000}
            required
          />
          <div className="ask-row">
            <label htmlFor="session-name">Save to session (optional)</label>
            <input id="session-name" value={session} onChange={(event) => setSession(event.target.value)} maxLength={120} placeholder="e.g. Sufficiency review" />
            <button type="submit" disabled={asking || !question.trim()}>
              {asking ? "Answering…" : "Ask"}
            </button>
          </div>
        </form>
      </section>
      {chosen?.answer && <SourcesPanel citations={citations} onOpen={setViewing} />}
      {viewing &&
        (viewing.table ? (
          <TableRowsViewer workspaceId={workspace.id} citation={{ ...viewing, table: viewing.table }} onClose={() => setViewing(undefined)} />
        ) : (
          <DocumentViewer workspaceId={workspace.id} citation={viewing} onClose={() => setViewing(undefined)} />
        ))}
    </div>
  );
}
