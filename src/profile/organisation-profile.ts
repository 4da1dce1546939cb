/**
 * The organisation profile: who the provider is, used by every template (introductions, signatures, SWOT
 * strengths). Kept as the store's "profile" setting, validated with zod on the way in and on the way out.
 */
import * as z from "zod";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { SettingDefinition, Store } from "../store/types.ts";

import type { OrganisationProfile, ProfileField } from "./profile-fields.ts";
import { isProfileListField, profileFieldDescriptions, profileFields } from "./profile-fields.ts";

export { profileFieldDescriptions, profileFields };
export type { OrganisationProfile, ProfileField };

const text = z.string().trim().min(1).max(2000);
const list = z.array(z.string().trim().min(1).max(200)).max(50);

// Output and input types both named: the web app's client is typed by what the server accepts (the input).
export const organisationProfileSchema: z.ZodType<OrganisationProfile, OrganisationProfile> & { strict(): z.ZodType<OrganisationProfile, OrganisationProfile> } = z
  .object({
    name: text,
    provisionType: text,
    locations: list,
    specialisms: list,
    therapeuticModel: text,
    contactName: text,
    contactRole: text,
    email: z.string().trim().email(),
    phone: z.string().trim().regex(/^[+()\d\s-]{6,25}$/, "a phone number: digits, spaces, +, ( ) and -"),
    website: text,
    signature: text,
  })
  .partial();

/** The profile as the store's "profile" setting. */
export const profileSetting: SettingDefinition<OrganisationProfile> = { key: "profile", schema: organisationProfileSchema };

/** Accepts "provision-type", "provision_type", "provisiontype" for provisionType. */
export function parseProfileField(input: string): Result<ProfileField> {
  const normal = input.replace(/[-_\s]/g, "").toLowerCase();
  const field = profileFields.find((candidate) => candidate.toLowerCase() === normal);
  if (!field) {
    return fail(new HearthError("INVALID_INPUT", `unknown profile field "${input}"; fields: ${profileFields.join(", ")}`, { subject: input }));
  }
  return ok(field);
}

export async function getProfile(store: Pick<Store, "settings">): Promise<OrganisationProfile> {
  return (await store.settings.get(profileSetting)) ?? {};
}

/** Sets one field from text (lists split on commas; "\n" in a signature becomes a line break). */
export async function setProfileField(store: Store, fieldInput: string, value: string): Promise<Result<OrganisationProfile>> {
  const field = parseProfileField(fieldInput);
  if (!field.ok) return field;
  const raw: unknown = isProfileListField(field.value)
    ? value
        .split(/[,;]/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value.replace(/\\n/g, "\n");
  const next = { ...(await getProfile(store)), [field.value]: raw };
  const parsed = organisationProfileSchema.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      new HearthError("INVALID_INPUT", `profile ${field.value}: ${issue?.message ?? "invalid value"} (got "${value}")`, { subject: field.value, cause: parsed.error }),
    );
  }
  await store.settings.set(profileSetting, parsed.data);
  return ok(parsed.data);
}

export async function unsetProfileField(store: Store, fieldInput: string): Promise<Result<OrganisationProfile>> {
  const field = parseProfileField(fieldInput);
  if (!field.ok) return field;
  const next: OrganisationProfile = { ...(await getProfile(store)) };
  delete next[field.value];
  await store.settings.set(profileSetting, next);
  return ok(next);
}

/** The sign-off for letters: the signature when set, else name, role and organisation from the profile. */
export function signatureBlock(profile: OrganisationProfile): string | null {
  if (profile.signature) return profile.signature;
  const lines = [profile.contactName, profile.contactRole, profile.name, profile.email, profile.phone, profile.website].filter(
    (line): line is string => typeof line === "string" && line.length > 0,
  );
  return lines.length > 0 ? lines.join("\n") : null;
}

export function formatProfile(profile: OrganisationProfile): string {
  return `${profileFields
    .map((field) => {
      const value = profile[field];
      const shown = value === undefined ? "(not set)" : Array.isArray(value) ? value.join(", ") : value.replace(/\n/g, " / ");
      return `${field.padEnd(17)} ${shown}`;
    })
    .join("\n")}\n`;
}
