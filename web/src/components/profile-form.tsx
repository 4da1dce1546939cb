/** The organisation profile form: free-text fields and lists (one item per line); read-only for non-admins. */
import type { FormEvent } from "react";
import { useState } from "react";
import { ApiError, api } from "../api-client.ts";
import type { Profile, Workspace } from "../api-types.ts";

interface ProfileField {
  key: string;
  label: string;
  list?: boolean;
  hint?: string;
}

const profileFields: ProfileField[] = [
  { key: "organisationName", label: "Organisation name" },
  { key: "homes", label: "Homes", list: true, hint: "One per line, e.g. “Oak House: 4 beds, ages 11–17, EBD”" },
  { key: "localAuthorities", label: "Local authorities you work with", list: true, hint: "One per line" },
  { key: "specialisms", label: "Specialisms", list: true, hint: "One per line, e.g. “Solo placements”, “CSE risk”" },
  { key: "ofstedJudgements", label: "Latest Ofsted judgements", list: true, hint: "One per line" },
  { key: "priorities", label: "Strategic priorities", list: true, hint: "One per line" },
  { key: "notes", label: "Anything else Hearth should know" },
];

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

function toText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("\n") : (value ?? "");
}

export function ProfileForm({ workspace, profile, onSaved }: { workspace: Workspace; profile: Profile; onSaved(profile: Profile): void }) {
  const editable = workspace.role === "admin";
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries([...new Set([...profileFields.map((field) => field.key), ...Object.keys(profile)])].map((key) => [key, toText(profile[key])])),
  );
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next: Profile = {};
    for (const [key, value] of Object.entries(values)) {
      const field = profileFields.find((candidate) => candidate.key === key);
      const isList = field ? field.list === true : Array.isArray(profile[key]);
      if (isList) {
        const items = value.split("\n").map((item) => item.trim()).filter(Boolean);
        if (items.length > 0) next[key] = items;
      } else if (value.trim()) next[key] = value.trim();
    }
    api
      .saveSettings(workspace.id, { profile: next })
      .then((saved) => {
        onSaved(saved.profile);
        setStatus({ ok: true, text: "Profile saved." });
      })
      .catch((failure: unknown) => setStatus({ ok: false, text: message(failure) }));
  };

  const extraKeys = Object.keys(values).filter((key) => !profileFields.some((field) => field.key === key));
  return (
    <form className="stacked" onSubmit={submit} aria-labelledby="profile-heading">
      <h2 id="profile-heading">Organisation profile</h2>
      <p className="hint">Hearth uses the profile to tailor strategy answers to your homes and the authorities you work with.</p>
      <fieldset disabled={!editable}>
        {[...profileFields, ...extraKeys.map((key) => ({ key, label: key, list: Array.isArray(profile[key]) }))].map((field) => (
          <div key={field.key} className="field">
            <label htmlFor={`profile-${field.key}`}>{field.label}</label>
            {"hint" in field && field.hint && (
              <span className="hint" id={`profile-${field.key}-hint`}>
                {field.hint}
              </span>
            )}
            {field.list || field.key === "notes" ? (
              <textarea
                id={`profile-${field.key}`}
                rows={3}
                value={values[field.key] ?? ""}
                aria-describedby={"hint" in field && field.hint ? `profile-${field.key}-hint` : undefined}
                onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
              />
            ) : (
              <input id={`profile-${field.key}`} value={values[field.key] ?? ""} onChange={(event) => setValues({ ...values, [field.key]: event.target.value })} />
            )}
          </div>
        ))}
        {editable && <button type="submit">Save profile</button>}
      </fieldset>
      {status && (
        <p role="status" className={status.ok ? "success" : "error"}>
          {status.text}
        </p>
      )}
    </form>
  );
}
