/**
 * Drafts from a task template: choose the template, the local authority and what it is about, optionally a session
 * to keep it in. The draft's [n] markers open the cited page, as an answer's do, and its sources are listed beside it.
 */
import type { FormEvent } from "react";
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Answer, Citation, TemplateSummary, Workspace } from "../api-types.ts";
import { AnswerNotes } from "./answer-notes.tsx";
import { AnswerText } from "./answer-text.tsx";
import { CopyButton } from "./copy-button.tsx";
import { SourcesPanel } from "./sources-panel.tsx";
import { ErrorMessage } from "./error-message.tsx";

interface DraftPanelProps {
  workspace: Workspace;
  /** Local authorities the library holds documents about, offered as suggestions. */
  authorityNames: string[];
  onCite(citation: Citation): void;
  onOpenSession(name: string): void;
}

const preferredTemplate = "la-commissioner-email";

const groupOrder = ["Registering a home", "Running a home", "Working with commissioners", "Your templates"];

/** Templates under their Toolkit headings, in a fixed order; a user's template without a group is "Your templates". */
export function templateGroups(templates: readonly TemplateSummary[]): [string, TemplateSummary[]][] {
  const groups = new Map<string, TemplateSummary[]>();
  for (const template of templates) {
    const group = template.group ?? "Your templates";
    groups.set(group, [...(groups.get(group) ?? []), template]);
  }
  return [...groups.entries()].sort(([left], [right]) => groupOrder.indexOf(left) - groupOrder.indexOf(right));
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function DraftPanel({ workspace, authorityNames, onCite, onOpenSession }: DraftPanelProps) {
  const [templates, setTemplates] = useState<TemplateSummary[]>();
  const [templateId, setTemplateId] = useState("");
  const [la, setLa] = useState("");
  const [about, setAbout] = useState("");
  const [ageRange, setAgeRange] = useState("");
  const [beds, setBeds] = useState("");
  const [specialism, setSpecialism] = useState("");
  const [session, setSession] = useState("");
  const [offline, setOffline] = useState(false);
  const [drafting, setDrafting] = useState(false);
  const [draft, setDraft] = useState<{ answer: Answer; session: string | undefined }>();
  const [error, setError] = useState<string>();
  const canDraft = workspace.role !== "viewer";

  useEffect(() => {
    api
      .templates(workspace.id)
      .then((result) => {
        setTemplates(result.templates);
        const preferred = result.templates.find((template) => template.id === preferredTemplate) ?? result.templates[0];
        setTemplateId((current) => current || (preferred?.id ?? ""));
      })
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id]);

  const template = templates?.find((candidate) => candidate.id === templateId);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!template || drafting) return;
    const sessionName = session.trim() || undefined;
    const uses = new Set(template.options);
    const chosen = {
      ...(uses.has("ageRange") && ageRange.trim() ? { ageRange: ageRange.trim() } : {}),
      ...(uses.has("beds") && beds.trim() ? { beds: beds.trim() } : {}),
      ...(uses.has("specialism") && specialism.trim() ? { specialism: specialism.trim() } : {}),
    };
    const options = Object.keys(chosen).length > 0 ? chosen : undefined;
    setDrafting(true);
    setError(undefined);
    try {
      const result = await api.draft(workspace.id, {
        template: template.id,
        ...(la.trim() && template.inputs.la !== "unused" ? { la: la.trim() } : {}),
        ...(about.trim() && template.inputs.about !== "unused" ? { about: about.trim() } : {}),
        ...(sessionName ? { session: sessionName } : {}),
        ...(offline ? { useModel: false } : {}),
        ...(options ? { options } : {}),
      });
      setDraft({ answer: result.draft, session: sessionName });
    } catch (failure) {
      setError(message(failure));
    } finally {
      setDrafting(false);
    }
  };

  return (
    <div className="ask-layout">
      <div className="chat">
        <form className="ask-form draft-form" aria-label="Draft a document" onSubmit={(event) => void submit(event)}>
          {!canDraft && <p className="notice">Drafting needs the editor role in this workspace; you can read the figures below.</p>}
          <div className="field">
            <label htmlFor="draft-template">Template</label>
            <select
              id="draft-template"
              value={templateId}
              onChange={(event) => setTemplateId(event.target.value)}
              disabled={!templates || !canDraft}
              aria-describedby="draft-template-description"
            >
              {templateGroups(templates ?? []).map(([group, members]) => (
                <optgroup key={group} label={group}>
                  {members.map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.name}
                      {candidate.origin === "user" ? " (yours)" : ""}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <span id="draft-template-description" className="hint">
              {template ? template.description : templates ? "No templates available." : "Loading templates…"}
            </span>
          </div>
          {template?.inputs.la !== "unused" && (
            <div className="field">
              <label htmlFor="draft-la">Local authority{template?.inputs.la === "required" ? "" : " (optional)"}</label>
              <input
                id="draft-la"
                list="draft-authority-names"
                value={la}
                onChange={(event) => setLa(event.target.value)}
                required={template?.inputs.la === "required"}
                maxLength={200}
                disabled={!canDraft}
                placeholder="e.g. Nottinghamshire"
              />
              <datalist id="draft-authority-names">
                {authorityNames.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </div>
          )}
          {template?.inputs.about !== "unused" && (
            <div className="field">
              <label htmlFor="draft-about">About{template?.inputs.about === "required" ? "" : " (optional)"}</label>
              <textarea
                id="draft-about"
                rows={2}
                value={about}
                onChange={(event) => setAbout(event.target.value)}
                required={template?.inputs.about === "required"}
                maxLength={2000}
                disabled={!canDraft}
                placeholder="e.g. a two-bed home for children with complex needs"
              />
            </div>
          )}
          {template && template.options.length > 0 && (
            <fieldset className="draft-options" disabled={!canDraft}>
              <legend>The home (optional: the organisation profile fills what you leave out)</legend>
              {template.options.includes("ageRange") && (
                <div className="field">
                  <label htmlFor="draft-age-range">Age range</label>
                  <input id="draft-age-range" value={ageRange} onChange={(event) => setAgeRange(event.target.value)} maxLength={40} placeholder="e.g. 11 to 17" />
                </div>
              )}
              {template.options.includes("beds") && (
                <div className="field">
                  <label htmlFor="draft-beds">Beds</label>
                  <input id="draft-beds" inputMode="numeric" pattern="[0-9]{1,3}" value={beds} onChange={(event) => setBeds(event.target.value)} placeholder="e.g. 3" />
                </div>
              )}
              {template.options.includes("specialism") && (
                <div className="field">
                  <label htmlFor="draft-specialism">Specialism</label>
                  <input id="draft-specialism" value={specialism} onChange={(event) => setSpecialism(event.target.value)} maxLength={200} placeholder="e.g. SEMH" />
                </div>
              )}
            </fieldset>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={offline} onChange={(event) => setOffline(event.target.checked)} disabled={!canDraft} /> Draft offline from the
            library, without the language model (when one is configured it writes the draft up from the cited evidence)
          </label>
          <div className="ask-row">
            <label htmlFor="draft-session">Save to session (optional)</label>
            <input id="draft-session" value={session} onChange={(event) => setSession(event.target.value)} maxLength={120} disabled={!canDraft} />
            <button type="submit" disabled={!canDraft || !template || drafting}>
              {drafting ? "Drafting…" : "Draft"}
            </button>
          </div>
          <ErrorMessage message={error} />
        </form>
        {(draft || drafting) && (
          <article className="exchange draft" aria-live="polite" aria-busy={drafting} data-testid="draft" aria-label="Draft">
            {draft && (
              <>
                <p className="question">
                  {draft.answer.question}
                  {draft.session && (
                    <span className="session-tag">
                      {" "}
                      · saved to{" "}
                      <a
                        href={`/sessions/${encodeURIComponent(draft.session)}`}
                        onClick={(event) => {
                          event.preventDefault();
                          onOpenSession(draft.session ?? "");
                        }}
                      >
                        “{draft.session}”
                      </a>
                    </span>
                  )}
                </p>
                <AnswerText text={draft.answer.answer} citations={draft.answer.citations} onCite={onCite} />
                <CopyButton text={draft.answer.answer} citations={draft.answer.citations} label="Copy draft" />
                <AnswerNotes notes={draft.answer.notes ?? []} />
              </>
            )}
            {drafting && !draft && <p className="thinking">Drafting from the library…</p>}
          </article>
        )}
      </div>
      {draft && <SourcesPanel citations={draft.answer.citations} onOpen={onCite} />}
    </div>
  );
}
