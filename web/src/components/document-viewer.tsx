/**
 * Opens a cited document at the cited place, in a modal dialog. PDFs show the server-rendered page image with the
 * quote's boxes highlighted; slides, sections and other formats show the stored text of each unit, scrolled to
 * the cited one, with the quote marked.
 */
import type { ReactNode } from "react";
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Citation, LibraryDocument, UnitText } from "../api-types.ts";
import { findQuote } from "../find-quote.ts";
import { placeLabel } from "../format.ts";

interface DocumentViewerProps {
  workspaceId: string;
  citation: Citation;
  onClose(): void;
}

function markedText(text: string, quote: string | undefined): ReactNode {
  const found = quote ? findQuote(text, quote) : undefined;
  if (!found) return text;
  return (
    <>
      {text.slice(0, found.start)}
      <mark>{text.slice(found.start, found.end)}</mark>
      {text.slice(found.end)}
    </>
  );
}

function isTarget(unit: UnitText, citation: Citation): boolean {
  if (citation.page !== null) return unit.page === citation.page;
  if (citation.section) return unit.section === citation.section;
  return findQuote(unit.text, citation.quote) !== undefined;
}

/** Reads where the highlight is (X-Highlight-Top, a fraction of the image height) so the page can be scrolled to it. */
function useHighlightTop(source: string): number | undefined {
  const [top, setTop] = useState<number>();
  useEffect(() => {
    setTop(undefined);
    const controller = new AbortController();
    // The same URL as the <img>, so one of the two is answered from the browser cache.
    fetch(source, { credentials: "same-origin", signal: controller.signal })
      .then((response) => {
        const header = response.headers.get("x-highlight-top");
        const value = header === null ? Number.NaN : Number(header);
        if (Number.isFinite(value)) setTop(value);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [source]);
  return top;
}

function PageImage({ workspaceId, document, citation }: { workspaceId: string; document: LibraryDocument; citation: Citation }) {
  const cited = citation.page ?? 1;
  const [page, setPage] = useState(cited);
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const image = useRef<HTMLImageElement>(null);
  const source = api.pageImageUrl(workspaceId, document.id, page, page === cited ? citation.quote : "");
  const highlightTop = useHighlightTop(source);

  useEffect(() => {
    if (!loaded || highlightTop === undefined || !frame.current || !image.current) return;
    frame.current.scrollTop = Math.max(0, highlightTop * image.current.clientHeight - frame.current.clientHeight / 4);
  }, [loaded, highlightTop]);

  const go = (next: number): void => {
    setFailed(false);
    setLoaded(false);
    setPage(next);
  };

  return (
    <div className="page-image">
      <div className="page-controls">
        <button type="button" className="secondary" disabled={page <= 1} onClick={() => go(page - 1)}>
          Previous page
        </button>
        <span aria-live="polite">
          Page {page} of {document.units}
          {page === cited ? " (cited)" : ""}
        </span>
        <button type="button" className="secondary" disabled={page >= document.units} onClick={() => go(page + 1)}>
          Next page
        </button>
      </div>
      <div className="page-frame" ref={frame} tabIndex={0} aria-label={`Page ${page}, scrollable`}>
        {failed ? (
          <p role="alert" className="error">
            Could not show page {page} of {document.file}.
          </p>
        ) : (
          <img
            key={source}
            ref={image}
            src={source}
            alt={`Page ${page} of ${document.file}${page === cited ? ", with the quoted words highlighted" : ""}`}
            onLoad={() => setLoaded(true)}
            onError={() => setFailed(true)}
            data-page={page}
          />
        )}
      </div>
    </div>
  );
}

function UnitsView({ workspaceId, document, citation }: { workspaceId: string; document: LibraryDocument; citation: Citation }) {
  const [units, setUnits] = useState<UnitText[]>();
  const [error, setError] = useState<string>();
  const target = useRef<HTMLElement>(null);

  useEffect(() => {
    api
      .units(workspaceId, document.id)
      .then((result) => setUnits(result.units))
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [workspaceId, document.id]);

  useEffect(() => {
    const mark = target.current?.querySelector("mark");
    (mark ?? target.current)?.scrollIntoView({ block: "center" });
  }, [units]);

  if (error) {
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  }
  if (!units) return <p aria-busy="true">Loading…</p>;
  const targetIndex = units.findIndex((unit) => isTarget(unit, citation));
  return (
    <div className="units">
      {units.map((unit, index) => (
        <section
          key={unit.index}
          ref={index === targetIndex ? target : undefined}
          className={index === targetIndex ? "unit cited" : "unit"}
          aria-current={index === targetIndex ? "location" : undefined}
          data-unit={unit.index}
        >
          <h3>{placeLabel(document.format, unit.page, unit.section)}</h3>
          <p className="unit-text">{markedText(unit.text, index === targetIndex ? citation.quote : undefined)}</p>
        </section>
      ))}
    </div>
  );
}

export function DocumentViewer({ workspaceId, citation, onClose }: DocumentViewerProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [document, setDocument] = useState<LibraryDocument | null>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const element = dialog.current;
    // No close() on cleanup: it would fire `close` (and onClose) when React re-runs effects in development.
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    api
      .documents(workspaceId)
      .then(({ documents }) => {
        const found =
          documents.find((candidate) => candidate.id === citation.documentId) ?? documents.find((candidate) => candidate.file === citation.file);
        setDocument(found ?? null);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [workspaceId, citation]);

  return (
    <dialog ref={dialog} className="viewer" aria-labelledby="viewer-title" onClose={onClose}>
      <header className="viewer-header">
        <div>
          <h2 id="viewer-title">{citation.file}</h2>
          <p>
            Source [{citation.n}] · {placeLabel(document?.format, citation.page, citation.section)}
          </p>
        </div>
        <div className="viewer-actions">
          {document && (
            <a className="button secondary" href={api.originalFileUrl(workspaceId, document.id)}>
              Download original
            </a>
          )}
          <button type="button" onClick={() => dialog.current?.close()} autoFocus>
            Close
          </button>
        </div>
      </header>
      <blockquote className="viewer-quote">{citation.quote}</blockquote>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : document === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : document === null ? (
        <p role="alert" className="error">
          {citation.file} is no longer in this workspace&apos;s library.
        </p>
      ) : document.format === "pdf" && citation.page !== null ? (
        <PageImage workspaceId={workspaceId} document={document} citation={citation} />
      ) : (
        <UnitsView workspaceId={workspaceId} document={document} citation={citation} />
      )}
    </dialog>
  );
}
