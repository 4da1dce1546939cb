/**
 * The workspace library: drop files (or choose them) to upload, watch each one's progress from the server's
 * events, and see, remove or re-ingest what is in the library. Viewers see the list only.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { AuthorityKind, FileStatus, LibraryDocument, ProgressEvent, Workspace } from "../api-types.ts";
import { SourceAuthorityCell } from "../components/source-authority-cell.tsx";
import { countOf, formatDate, unitName } from "../format.ts";
import { ErrorMessage } from "../components/error-message.tsx";

interface UploadRow {
  key: string;
  file: string;
  status: FileStatus;
  error?: string;
  units?: number;
  passages?: number;
  /** Already in the library, read again because an older version of Hearth chunked it. */
  rechunked?: boolean;
}

const statusText: Record<FileStatus, string> = {
  queued: "Queued",
  ingesting: "Reading…",
  ingested: "Ingested",
  unchanged: "Already in the library",
  failed: "Failed",
  refused: "Refused",
};

/** The format a file name suggests, for naming its units before the library lists it. */
const formatOfName = (name: string): string => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";

const finished = (status: FileStatus): boolean => status === "ingested" || status === "unchanged" || status === "failed" || status === "refused";

function describeError(error: unknown): string {
  return error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
}

export function LibraryPage({ workspace }: { workspace: Workspace }) {
  const canEdit = workspace.role !== "viewer";
  const [documents, setDocuments] = useState<LibraryDocument[]>();
  const [authorityKinds, setAuthorityKinds] = useState<AuthorityKind[]>([]);
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const [busyDocument, setBusyDocument] = useState<number>();
  const following = useRef(new Set<AbortController>());

  const refresh = useCallback(async () => {
    try {
      const listed = await api.documents(workspace.id);
      setDocuments(listed.documents);
      setAuthorityKinds(listed.authorityKinds);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [workspace.id]);

  useEffect(() => {
    void refresh();
    const controllers = following.current;
    return () => {
      for (const controller of controllers) controller.abort();
    };
  }, [refresh]);

  // A server progress event, or a file the upload refused at once (status "refused").
  const updateRow = useCallback((uploadId: string, event: Omit<ProgressEvent, "status"> & { status: FileStatus }) => {
    setRows((current) => {
      const key = `${uploadId}/${event.file}`;
      const next: UploadRow = { key, file: event.file, status: event.status, error: event.error, units: event.units, passages: event.passages, rechunked: event.rechunked };
      return current.some((row) => row.key === key) ? current.map((row) => (row.key === key ? { ...row, ...next } : row)) : [...current, next];
    });
  }, []);

  const follow = useCallback(
    async (uploadId: string) => {
      const controller = new AbortController();
      following.current.add(controller);
      try {
        await api.followUpload(
          workspace.id,
          uploadId,
          {
            onProgress: (event) => {
              updateRow(uploadId, event);
              if (event.status === "ingested") void refresh();
            },
            onDone: (done) => {
              if (done.embeddingError) setError(`Ingested, but the passages have no vectors for the embedding model yet: ${done.embeddingError}`);
              void refresh();
            },
          },
          controller.signal,
        );
      } catch (failure) {
        if (!controller.signal.aborted) setError(`Lost track of the upload's progress: ${describeError(failure)}`);
      } finally {
        following.current.delete(controller);
      }
    },
    [workspace.id, updateRow, refresh],
  );

  const upload = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      setError(undefined);
      try {
        // A file over the server's limit is refused here, before any of it is sent (a 2 GB file would take minutes).
        const { maxUploadBytes } = await api.health();
        const tooLarge = files.filter((file) => file.size > maxUploadBytes);
        for (const file of tooLarge) {
          const megabytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
          updateRow(`refused-${Date.now()}`, {
            file: file.name,
            status: "failed",
            error: `${file.name}: ${megabytes(file.size)} is larger than the ${megabytes(maxUploadBytes)} upload limit`,
          });
        }
        const sendable = files.filter((file) => file.size <= maxUploadBytes);
        if (sendable.length === 0) return;
        const accepted = await api.upload(workspace.id, sendable);
        for (const file of accepted.files) {
          updateRow(accepted.uploadId, { file: file.name, status: file.status, error: "error" in file ? file.error : undefined });
        }
        await follow(accepted.uploadId);
      } catch (failure) {
        setError(`Upload failed: ${describeError(failure)}`);
      }
    },
    [workspace.id, updateRow, follow],
  );

  const remove = async (document: LibraryDocument): Promise<void> => {
    if (!window.confirm(`Remove ${document.file} from the library? Answers will no longer cite it.`)) return;
    setBusyDocument(document.id);
    try {
      await api.removeDocument(workspace.id, document.id);
      await refresh();
    } catch (failure) {
      setError(`Could not remove ${document.file}: ${describeError(failure)}`);
    } finally {
      setBusyDocument(undefined);
    }
  };

  const reingest = async (document: LibraryDocument): Promise<void> => {
    setBusyDocument(document.id);
    setError(undefined);
    try {
      const { uploadId } = await api.reingest(workspace.id, document.id);
      await follow(uploadId);
    } catch (failure) {
      setError(`Could not re-ingest ${document.file}: ${describeError(failure)}`);
    } finally {
      setBusyDocument(undefined);
    }
  };

  return (
    <div className="library">
      {canEdit ? (
        <section aria-labelledby="upload-heading">
          <h2 id="upload-heading">Add documents</h2>
          <div
            className={`drop-zone${dragging ? " dragging" : ""}`}
            data-testid="drop-zone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault();
              setDragging(false);
              void upload(Array.from(event.dataTransfer.files));
            }}
          >
            <p>Drop PDF, Word, PowerPoint, Excel, HTML, Markdown, CSV or text files here, or</p>
            <label className="button" htmlFor="upload-input">
              Choose files…
            </label>
            <input
              id="upload-input"
              className="visually-hidden"
              type="file"
              multiple
              onChange={(event) => {
                const files = Array.from(event.target.files ?? []);
                event.target.value = "";
                void upload(files);
              }}
            />
          </div>
          {rows.length > 0 && (
            <ul className="upload-rows" aria-live="polite" aria-label="Upload progress">
              {rows.map((row) => (
                <li key={row.key} className={`upload-row status-${row.status}`} data-status={row.status} data-file={row.file}>
                  <span className="file-name">{row.file}</span>
                  {row.status === "failed" || row.status === "refused" ? (
                    <span aria-hidden="true" />
                  ) : finished(row.status) ? (
                    <progress max={1} value={1} aria-label={`${row.file} progress`} />
                  ) : (
                    <progress aria-label={`${row.file} progress`} />
                  )}
                  <span className="status">
                    {row.status === "ingested" && row.rechunked ? "Already in the library; read again for this version's better passages" : statusText[row.status]}
                    {(row.status === "ingested" || row.status === "unchanged") &&
                      row.units !== undefined &&
                      ` (${unitName(formatOfName(row.file), row.units)}, ${countOf(row.passages ?? 0, "passage")})`}
                  </span>
                  {row.error && (
                    <span className="error row-error" role="alert">
                      {row.error.startsWith(`${row.file}:`) ? row.error : `${row.file}: ${row.error}`}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <p className="notice">You can read and ask questions in this workspace; an editor or admin adds documents.</p>
      )}
      <ErrorMessage message={error} />
      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading">In the library</h2>
        {documents === undefined ? (
          <p aria-busy="true">Loading…</p>
        ) : documents.length === 0 ? (
          <p>No documents yet.{canEdit && " Add your strategies, reports and inspection letters above."}</p>
        ) : (
          <div className="table-scroll">
            <table className="documents">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">Passages</th>
                  <th scope="col">Status</th>
                  <th scope="col">Source type</th>
                  <th scope="col">Added</th>
                  {canEdit && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <tr key={document.id} data-document={document.file}>
                    <th scope="row" className="file-name">
                      <a href={api.originalFileUrl(workspace.id, document.id)} title="Download the original">
                        {document.file}
                      </a>
                    </th>
                    <td>{unitName(document.format, document.units)}</td>
                    <td>{document.passages}</td>
                    <td>
                      {document.warnings.length === 0 ? (
                        "Ready"
                      ) : (
                        <details>
                          <summary>
                            {document.warnings.length} warning{document.warnings.length === 1 ? "" : "s"}
                          </summary>
                          <ul>
                            {document.warnings.map((warning, index) => (
                              <li key={index}>{warning}</li>
                            ))}
                          </ul>
                        </details>
                      )}
                    </td>
                    <SourceAuthorityCell
                      workspaceId={workspace.id}
                      document={document}
                      kinds={authorityKinds}
                      canEdit={canEdit}
                      onSaved={() => void refresh()}
                    />
                    <td>{formatDate(document.ingestedAt)}</td>
                    {canEdit && (
                      <td className="actions">
                        <button type="button" className="secondary" disabled={busyDocument === document.id} onClick={() => void reingest(document)}>
                          Re-ingest<span className="visually-hidden"> {document.file}</span>
                        </button>
                        <button type="button" className="danger" disabled={busyDocument === document.id} onClick={() => void remove(document)}>
                          Remove<span className="visually-hidden"> {document.file}</span>
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
