/** The language model provider form, with a "Test connection" button that saves first and then asks the server. */
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { ProviderSettings, Workspace } from "../api-types.ts";

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

export function ProviderForm({ workspace, provider, onSaved }: { workspace: Workspace; provider: ProviderSettings; onSaved(provider: ProviderSettings): void }) {
  const editable = workspace.role === "admin";
  const [name, setName] = useState(provider.provider);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl ?? "");
  const [model, setModel] = useState(provider.model ?? "");
  const [apiKey, setApiKey] = useState("");
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const [testing, setTesting] = useState(false);

  const save = async (): Promise<void> => {
    const saved = await api.saveSettings(workspace.id, {
      provider: { provider: name, baseUrl, model, ...(apiKey ? { apiKey } : {}) },
    });
    onSaved(saved.provider);
    setApiKey("");
  };

  return (
    <form
      className="stacked"
      aria-labelledby="provider-heading"
      onSubmit={(event) => {
        event.preventDefault();
        save()
          .then(() => setStatus({ ok: true, text: "Provider saved." }))
          .catch((failure: unknown) => setStatus({ ok: false, text: message(failure) }));
      }}
    >
      <h2 id="provider-heading">Model provider</h2>
      <p className="hint">
        “Extractive” answers from the library alone, with no language model. A local llama.cpp model keeps everything on this computer;
        OpenAI-compatible and Anthropic providers send the question and the cited passages to that service.
      </p>
      <fieldset disabled={!editable}>
        <label htmlFor="provider-name">Provider</label>
        <select id="provider-name" value={name} onChange={(event) => setName(event.target.value as ProviderSettings["provider"])}>
          <option value="extractive">Extractive (no language model)</option>
          <option value="llama-cpp">Local model (llama.cpp)</option>
          <option value="openai">OpenAI-compatible</option>
          <option value="anthropic">Anthropic</option>
        </select>
        <label htmlFor="provider-url">Base URL</label>
        <input id="provider-url" type="url" value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} placeholder="http://127.0.0.1:8080/v1" />
        <label htmlFor="provider-model">Model</label>
        <input id="provider-model" value={model} onChange={(event) => setModel(event.target.value)} />
        <label htmlFor="provider-key">API key {provider.hasApiKey && "(one is saved; leave empty to keep it)"}</label>
        <input id="provider-key" type="password" autoComplete="off" value={apiKey} onChange={(event) => setApiKey(event.target.value)} />
        {editable && (
          <div className="button-row">
            <button type="submit">Save provider</button>
            <button
              type="button"
              className="secondary"
              disabled={testing}
              onClick={() => {
                setTesting(true);
                setStatus(undefined);
                save()
                  .then(() => api.testProvider(workspace.id))
                  .then((result) => setStatus({ ok: result.ok, text: result.message }))
                  .catch((failure: unknown) => setStatus({ ok: false, text: message(failure) }))
                  .finally(() => setTesting(false));
              }}
            >
              {testing ? "Testing…" : "Test connection"}
            </button>
          </div>
        )}
      </fieldset>
      {status && (
        <p role="status" className={status.ok ? "success" : "error"} data-testid="provider-status">
          {status.text}
        </p>
      )}
    </form>
  );
}
