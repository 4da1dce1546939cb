/**
 * The organisation profile's fields: the one list that the CLI (`hearth profile set`), the server (zod schema in
 * organisation-profile.ts), the templates (`{profile.name}`, `{profile.provisionType}`, …) and the web app's
 * Settings form share. Plain data and types, no runtime dependencies, so the web app imports it as it is.
 */
export const profileFields = [
  "name",
  "provisionType",
  "locations",
  "specialisms",
  "therapeuticModel",
  "contactName",
  "contactRole",
  "email",
  "phone",
  "website",
  "signature",
] as const;

export type ProfileField = (typeof profileFields)[number];

/** Fields that hold several items (comma-separated on the command line, one a line in the form). */
export const profileListFields = ["locations", "specialisms"] as const satisfies readonly ProfileField[];
export type ProfileListField = (typeof profileListFields)[number];

export type OrganisationProfile = { [Field in ProfileField]?: Field extends ProfileListField ? string[] : string };

export function isProfileListField(field: ProfileField): field is ProfileListField {
  return (profileListFields as readonly ProfileField[]).includes(field);
}

/** Short labels for forms. */
export const profileFieldLabels: Record<ProfileField, string> = {
  name: "Organisation name",
  provisionType: "What you provide",
  locations: "Where you operate",
  specialisms: "Specialisms",
  therapeuticModel: "Therapeutic model",
  contactName: "Contact name",
  contactRole: "Contact's role",
  email: "Contact email",
  phone: "Contact phone",
  website: "Website",
  signature: "Sign-off for letters",
};

export const profileFieldDescriptions: Record<ProfileField, string> = {
  name: "organisation name",
  provisionType: "what you provide (e.g. 'Independent therapeutic children's homes (ITP)')",
  locations: "places you operate, comma-separated",
  specialisms: "specialisms, comma-separated (e.g. 'trauma, SEMH, autism')",
  therapeuticModel: "therapeutic model (e.g. 'PACE and DDP-informed')",
  contactName: "contact name used to sign letters",
  contactRole: "contact's role (e.g. Responsible Individual)",
  email: "contact email",
  phone: "contact phone",
  website: "website",
  signature: "sign-off block for letters (use \\n for new lines)",
};
