/**
 * The organisation profile form: every field the templates use (the shared list in src/profile/profile-fields.ts),
 * lists one item a line; read-only for non-admins. What is saved here is what drafts read.
 */
import type { FormEvent } from "react";
import { useState } from "react";
import type { ProfileField } from "../../../src/profile/profile-fields.ts";
import { isProfileListField, profileFieldLabels, profileFields } from "../../../src/profile/profile-fields.ts";
import { ApiError, api } from "../api-client.ts";
import type { Profile, Workspace } from "../api-types.ts";

const hints: Partial<Record<ProfileField, string>> = {
  provisionType: "e.g. “Independent therapeutic children’s homes”",
  locations: "One per line, e.g. “Nottinghamshire”",
  specialisms: "One per line, e.g. “trauma”, “SEMH”",
  therapeuticModel: "e.g. “PACE and DDP-informed”",
  contactRole: "e.g. “Responsible Individual”",
  signature: "The sign-off under letters; leave empty to use the contact’s name, role and organisation",
};

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

function toText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("\n") : (value ?? "");
}

export function ProfileForm({ workspace, profile, onSaved }: { workspace: Workspace; profile: Profile; onSaved(profile: Profile): void }) {
  const editable = workspace.role === "admin";
  const [values, setValues] = useState<Record<ProfileField, string>>(
    () => Object.fromEntries(profileFields.map((field) => [field, toText(profile[field])])) as Record<ProfileField, string>,
  );
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next: Profile = {};
    for (const field of profileFields) {
      const value = values[field];
      if (isProfileListField(field)) {
        const items = value.split("\n").map((item) => item.trim()).filter(Boolean);
        if (items.length > 0) next[field] = items;
      } else if (value.trim()) {
        next[field] = value.trim();
      }
    }
    api
      .saveSettings(workspace.id, { profile: next })
      .then((saved) => {
        onSaved(saved.profile);
        setStatus({ ok: true, text: "Profile saved: drafts use it from now on." });
      })
      .catch((failure: unknown) => setStatus({ ok: false, text: message(failure) }));
  };

  return (
    <form className="stacked" onSubmit={submit} aria-labelledby="profile-heading">
      <h2 id="profile-heading">Organisation profile</h2>
      <p className="hint">Drafts (emails to commissioners, statements of purpose, SWOTs) introduce and sign off with these details.</p>
      <fieldset disabled={!editable}>
        {profileFields.map((field) => {
          const hint = hints[field];
          const describedBy = hint ? `profile-${field}-hint` : undefined;
          const change = (value: string): void => setValues({ ...values, [field]: value });
          return (
            <div key={field} className="field">
              <label htmlFor={`profile-${field}`}>{profileFieldLabels[field]}</label>
              {hint && (
                <span className="hint" id={describedBy}>
                  {hint}
                </span>
              )}
              {isProfileListField(field) || field === "signature" ? (
                <textarea id={`profile-${field}`} name={field} rows={3} value={values[field]} aria-describedby={describedBy} onChange={(event) => change(event.target.value)} />
              ) : (
                <input
                  id={`profile-${field}`}
                  name={field}
                  type={field === "email" ? "email" : field === "phone" ? "tel" : "text"}
                  value={values[field]}
                  aria-describedby={describedBy}
                  onChange={(event) => change(event.target.value)}
                />
              )}
            </div>
          );
        })}
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
