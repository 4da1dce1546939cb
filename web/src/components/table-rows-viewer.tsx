/**
 * The rows behind a computed figure, in a modal dialog: the data set, the filter in words, the figure recomputed
 * by the server from the stored table, the matching rows, and a CSV download of all of them. Opened instead of
 * the document viewer for a citation that carries a table query.
 */
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Citation, TableRows } from "../api-types.ts";

interface TableRowsViewerProps {
  workspaceId: string;
  citation: Citation & { table: NonNullable<Citation["table"]> };
  onClose(): void;
}

/** Rows drawn at once; the download holds every row. */
const rowsDrawn = 200;

export function TableRowsViewer({ workspaceId, citation, onClose }: TableRowsViewerProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [rows, setRows] = useState<TableRows>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    api
      .tableRows(workspaceId, citation.table.tableId, citation.table.query)
      .then(setRows)
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [workspaceId, citation]);

  const changed = rows !== undefined && rows.total !== citation.table.rowCount;
  return (
    <dialog ref={dialog} className="viewer" aria-labelledby="rows-title" onClose={onClose}>
      <header className="viewer-header">
        <div>
          <h2 id="rows-title">{citation.file}</h2>
          <p>
            Source [{citation.n}] · {citation.section ? `sheet ${citation.section} · ` : ""}{citation.page !== null ? `page ${citation.page} · ` : ""}rows where {rows?.filters ?? "…"}
          </p>
        </div>
        <div className="viewer-actions">
          <a className="button secondary" href={api.tableRowsCsvUrl(workspaceId, citation.table.tableId, citation.table.query)}>
            Download rows (CSV)
          </a>
          <button type="button" onClick={() => dialog.current?.close()} autoFocus>
            Close
          </button>
        </div>
      </header>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : rows === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <p className="rows-summary">
            {rows.total.toLocaleString("en-GB")} matching row{rows.total === 1 ? "" : "s"}, recomputed from the stored table
            {changed ? ` (the answer counted ${citation.table.rowCount.toLocaleString("en-GB")}: the data set has changed since)` : ""}
            {rows.rows.length < rows.total || rows.total > rowsDrawn ? `; the first ${Math.min(rowsDrawn, rows.rows.length)} are shown` : ""}.
          </p>
          <div className="rows-frame" tabIndex={0} aria-label="Matching rows, scrollable">
            <table className="rows-table">
              <thead>
                <tr>
                  {rows.columns.map((column, index) => (
                    <th key={index} scope="col">
                      {column.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.rows.slice(0, rowsDrawn).map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {rows.columns.map((_, index) => (
                      <td key={index}>{row[index] ?? ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </dialog>
  );
}
