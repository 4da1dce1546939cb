/** The shapes the Hearth web API sends (see docs/architecture.md, "The web API"). */

export type Role = "admin" | "editor" | "viewer";

export interface User {
  id: string;
  email: string;
  name: string;
  /** An admin of the whole server: manages accounts, adds people directly, sets model addresses. */
  serverAdmin: boolean;
}

export interface Invitation {
  id: string;
  workspace: { id: string; name: string };
  email: string;
  role: Role;
  expiresAt: string;
}

export interface Workspace {
  id: string;
  name: string;
  role: Role;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface LibraryDocument {
  id: number;
  file: string;
  format: string;
  units: number;
  passages: number;
  warnings: string[];
  ingestedAt: string;
  /** Source authority: its kind ("la_strategy"), label, year or period, and whether a person tagged it. */
  authority: string;
  label: string;
  year: number | null;
  period: { from: number; to: number } | null;
  source: "tagged" | "guessed";
}

export interface AuthorityKind {
  kind: string;
  label: string;
}

export type FileStatus = "queued" | "ingesting" | "ingested" | "unchanged" | "failed" | "refused";

export interface UploadAccepted {
  uploadId: string;
  files: { name: string; status: "queued" | "refused"; error?: string }[];
}

export interface ProgressEvent {
  file: string;
  status: FileStatus;
  error?: string;
  units?: number;
  passages?: number;
}

export interface DoneEvent {
  ingested: number;
  unchanged: number;
  failed: number;
  /** With an embedding model configured: passages given vectors, or why none could be. */
  embedded?: number;
  embeddingError?: string;
}

export interface Citation {
  n: number;
  file: string;
  page: number | null;
  section: string | null;
  quote: string;
  /** Present on answers from /ask; looked up by file name for answers read back from a session. */
  documentId?: number | null;
  /** A figure computed from a data set's table: the query whose matching rows are the evidence. */
  table?: { tableId: number; query: Record<string, unknown>; rowCount: number };
}

export interface TableRows {
  tableId: number;
  fileName: string;
  sheet: string | null;
  title: string | null;
  filters: string;
  columns: { name: string; type: string; unit: string | null }[];
  rows: string[][];
  total: number;
  figures: { key: string | null; value: number | null; period?: string }[];
}

export interface Answer {
  question: string;
  answer: string;
  citations: Citation[];
  mode: string;
  refused?: boolean;
  /** What the library lacks, as the model stated it. */
  gaps?: string[];
  /** Hearth's own notes, shown apart from the answer. */
  notes?: string[];
  /** The question as answered, when a follow-up was rewritten. */
  resolvedQuestion?: string;
  /** What the check of the model's reply removed, re-cited or shortened, and why. */
  check?: { changes: { text: string; outcome: "removed" | "repaired" | "trimmed"; reason: string; kept: string | null }[]; framing: string[]; truncated: boolean };
}

export interface SessionSummary {
  name: string;
  createdAt: string;
  exchangeCount: number;
  updatedAt: string;
}

export interface Session {
  name: string;
  createdAt: string;
  exchanges: { askedAt: string; answer: Answer }[];
}

export interface UnitText {
  index: number;
  page: number | null;
  section: string | null;
  text: string;
}

export interface DocumentUnits {
  file: string;
  format: string;
  units: UnitText[];
}

/** The organisation profile: the same fields as the CLI, the server's schema and the templates (src/profile). */
import type { OrganisationProfile } from "../../src/profile/profile-fields.ts";
export type Profile = OrganisationProfile;

export interface ProviderSettings {
  provider: "extractive" | "openai" | "anthropic" | "llama-cpp";
  baseUrl: string | null;
  model: string | null;
  hasApiKey: boolean;
}

export interface Settings {
  profile: Profile;
  provider: ProviderSettings;
}

export interface AuditEvent {
  time: string;
  user: string;
  action: string;
  detail: string;
}

export interface TemplateSummary {
  id: string;
  name: string;
  version: number;
  description: string;
  inputs: { la: "required" | "optional" | "unused"; about: "required" | "optional" | "unused" };
  /** The Toolkit page's heading for it; null for a user's template without one. */
  group: "Registering a home" | "Running a home" | "Working with commissioners" | null;
  /** Requests that reach it from the Ask page. */
  examples: string[];
  /** The home's options its text uses. */
  options: ("ageRange" | "beds" | "specialism")[];
  origin: "built-in" | "user";
}

/** One figure about an authority with its source; value "not found" (and no file or page) when no document states it. */
export interface AuthorityFigure {
  field: string;
  value: string;
  date: string | null;
  file: string;
  page: number | null;
  quote: string;
}

export interface AuthorityComparison {
  authorities: { name: string; figures: AuthorityFigure[] }[];
  /** Every field in display order; `list` fields hold statements (planned provision, action plans), not one figure. */
  fields: { field: string; label: string; list: boolean }[];
}
