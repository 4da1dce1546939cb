/** The workspace audit log (admins only): sign-ins, uploads, deletions and questions, newest first. */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { AuditEvent, Workspace } from "../api-types.ts";
import { formatDate } from "../format.ts";
import { ErrorMessage } from "./error-message.tsx";

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function AuditLog({ workspace }: { workspace: Workspace }) {
  const [events, setEvents] = useState<AuditEvent[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .audit(workspace.id)
      .then((result) => setEvents(result.events))
      .catch((failure: unknown) => setError(message(failure)));
  }, [workspace.id]);
  return (
    <details className="audit">
      <summary>Audit log</summary>
      <p>
        <a href={api.auditCsvUrl(workspace.id)} download>
          Download the whole log (CSV)
        </a>
      </p>
      <ErrorMessage message={error} />
      {events && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {events.slice(0, 200).map((event, index) => (
                <tr key={index}>
                  <td>{formatDate(event.time)}</td>
                  <td>{event.user}</td>
                  <td>{event.action}</td>
                  <td>{event.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
