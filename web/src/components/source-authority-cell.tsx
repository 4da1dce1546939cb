/**
 * A document's source authority in the Library table: what kind of source it is (statute, statutory guidance, LA
 * strategy ...) and the year or period it covers, guessed from its name until someone tags it. Answers prefer the
 * higher authority and the newer version, and say when a strategy's period has ended, so an editor can correct it
 * here.
 */
import type { FormEvent } from "react";
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { AuthorityKind, LibraryDocument } from "../api-types.ts";
import { ErrorMessage } from "./error-message.tsx";

interface SourceAuthorityCellProps {
  workspaceId: string;
  document: LibraryDocument;
  kinds: AuthorityKind[];
  canEdit: boolean;
  onSaved(): void;
}

function when(document: LibraryDocument): string {
  if (document.period) return `${document.period.from}-${document.period.to}`;
  return document.year === null ? "" : String(document.year);
}

export function SourceAuthorityCell({ workspaceId, document, kinds, canEdit, onSaved }: SourceAuthorityCellProps) {
  const [editing, setEditing] = useState(false);
  // Any kind the server lists (a string: the server checks it and names the kinds when it is not one).
  const [kind, setKind] = useState<string>(document.authority);
  const [date, setDate] = useState(when(document));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const dated = when(document);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await api.setAuthority(workspaceId, document.id, { authority: kind, ...(date.trim() ? { date: date.trim() } : {}) });
      setEditing(false);
      onSaved();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  };

  if (!editing) {
    return (
      <td className="source-authority" data-authority={document.authority}>
        <span>{document.label}</span>
        {dated && <span className="muted"> · {dated}</span>}
        {document.source === "guessed" && <span className="muted"> (guessed from the name)</span>}
        {canEdit && (
          <>
            {" "}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setKind(document.authority);
                setDate(dated);
                setEditing(true);
              }}
            >
              Change<span className="visually-hidden"> the source type of {document.file}</span>
            </button>
          </>
        )}
      </td>
    );
  }

  return (
    <td className="source-authority">
      <form className="authority-form" onSubmit={(event) => void save(event)} aria-label={`Source type of ${document.file}`}>
        <label>
          Source type
          <select value={kind} onChange={(event) => setKind(event.target.value)}>
            {kinds.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Year or period
          <input value={date} onChange={(event) => setDate(event.target.value)} placeholder="e.g. 2023 or 2023-2025" maxLength={30} />
        </label>
        <div className="form-buttons">
          <button type="submit" disabled={saving}>
            {saving ? "Saving…" : "Save"}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)} disabled={saving}>
            Cancel
          </button>
        </div>
        <ErrorMessage message={error} />
      </form>
    </td>
  );
}
