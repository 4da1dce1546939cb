/**
 * Toolkit: drafts from task templates (cited like answers, kept in a session when one is named) and the local
 * authority comparison — the table, its CSV and Markdown downloads, and a chart of the placement mix.
 */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { AuthorityComparison, Citation, TemplateSummary, Workspace } from "../api-types.ts";
import { AuthorityTable } from "../components/authority-table.tsx";
import { DocumentViewer } from "../components/document-viewer.tsx";
import { DraftPanel, templateGroups } from "../components/draft-panel.tsx";
import { PlacementChart } from "../components/placement-chart.tsx";
import { ErrorMessage } from "../components/error-message.tsx";

interface ToolkitPageProps {
  workspace: Workspace;
  onOpenSession(name: string): void;
}

export function ToolkitPage({ workspace, onOpenSession }: ToolkitPageProps) {
  const [comparison, setComparison] = useState<AuthorityComparison>();
  const [error, setError] = useState<string>();
  const [viewing, setViewing] = useState<Citation>();
  const [templates, setTemplates] = useState<TemplateSummary[]>();

  useEffect(() => {
    api
      .templates(workspace.id)
      .then((result) => setTemplates(result.templates))
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [workspace.id]);

  useEffect(() => {
    api
      .authorities(workspace.id)
      .then(setComparison)
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [workspace.id]);

  const names = comparison?.authorities.map((authority) => authority.name) ?? [];

  return (
    <div className="toolkit">
      <section aria-labelledby="draft-heading">
        <h2 id="draft-heading">Draft a document</h2>
        <p className="hint">
          Every point is taken from your library and cited to its page. Drafts sign with the organisation profile's name and signature (Settings).
        </p>
        <DraftPanel workspace={workspace} authorityNames={names} onCite={setViewing} onOpenSession={onOpenSession} />
      </section>
      <section aria-labelledby="drafts-list-heading" className="template-list">
        <h2 id="drafts-list-heading">What Hearth can draft</h2>
        <p className="hint">Each is also reached from the Ask page in plain words, for example the request shown under it.</p>
        {!templates && !error && <p aria-busy="true">Loading templates…</p>}
        {templates &&
          templateGroups(templates).map(([group, members]) => (
            <div key={group} className="template-group">
              <h3>{group}</h3>
              <dl>
                {members.map((template) => (
                  <div key={template.id} data-template={template.id}>
                    <dt>
                      {template.name} <span className="hint">({template.id}, version {template.version})</span>
                    </dt>
                    <dd>{template.description}</dd>
                    {template.examples[0] && <dd className="hint">Ask: “{template.examples[0]}”</dd>}
                  </div>
                ))}
              </dl>
            </div>
          ))}
      </section>
      <section aria-labelledby="authorities-heading" className="authorities">
        <h2 id="authorities-heading">Local authorities</h2>
        <ErrorMessage message={error} />
        {!comparison && !error && <p aria-busy="true">Reading the figures…</p>}
        {comparison && comparison.authorities.length === 0 && (
          <p>No document in the library is about a local authority yet. Upload a sufficiency strategy or market position statement in the Library.</p>
        )}
        {comparison && comparison.authorities.length > 0 && (
          <>
            <div className="export-buttons">
              <a className="button secondary" href={api.authoritiesDownloadUrl(workspace.id, "csv")} download>
                Download CSV
              </a>
              <a className="button secondary" href={api.authoritiesDownloadUrl(workspace.id, "md")} download>
                Download Markdown
              </a>
            </div>
            <PlacementChart comparison={comparison} />
            <AuthorityTable comparison={comparison} onOpen={setViewing} />
          </>
        )}
      </section>
      {viewing && <DocumentViewer workspaceId={workspace.id} citation={viewing} onClose={() => setViewing(undefined)} />}
    </div>
  );
}
