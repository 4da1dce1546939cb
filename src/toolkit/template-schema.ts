/**
 * A task template: a versioned definition of a strategy document (inputs, retrieval queries, output sections),
 * validated with zod. Built-in templates live in src/toolkit/templates/*.json; users add their own as JSON files in
 * <dataDir>/templates/.
 *
 * Text may hold placeholders: {la}, {about}, {today}, {profile.<field>} (see src/profile), and the home's options
 * {ageRange}, {beds}, {specialism} (from the request, else the profile). A line starting with "?" is left out when
 * one of its placeholders has no value; otherwise a missing value shows as a bracketed prompt naming what fills it.
 * A line in square brackets is a prompt for what only the provider can write.
 */
import * as z from "zod";
import type { AuthorityKind } from "../authority/source-authority.ts";
import { figureFields } from "../market/figures.ts";

const heading = z.string().min(1).max(200).optional();

/**
 * The provisions a section draws on ("regulation 28", "Guide, chapter 10"), shown under its heading so that the
 * provider sees which rules each part answers to; the cited quotes are the library evidence.
 */
const provisions = z.array(z.string().min(1).max(200)).max(10).optional();

/** A case-insensitive regular expression, checked when the template is read. */
const pattern = z.string().refine((source) => {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

/** Where a template is shown and offered: the Toolkit page groups templates under these headings. */
export const templateGroups = ["Registering a home", "Running a home", "Working with commissioners"] as const;
export type TemplateGroup = (typeof templateGroups)[number];

/** Where evidence comes from: the LA's own documents, the whole library, the provider's own documents, or rules. */
export const evidenceScopes = ["la", "library", "own", "rules"] as const;

const textSection = z.object({
  kind: z.literal("text"),
  heading,
  provisions,
  lines: z.array(z.string()).min(1),
});

const evidenceSection = z.object({
  kind: z.literal("evidence"),
  heading,
  provisions,
  /** A line before the cited points. */
  intro: z.string().optional(),
  /** The line used instead when `intro` is a "?" line left out (an LA's plans, when no LA was named). */
  introOtherwise: z.string().optional(),
  queries: z.array(z.string().min(1)).min(1).max(20),
  scope: z.enum(evidenceScopes).default("library"),
  /** Sentences matching this (case-insensitive regular expression) are preferred: "need|gap|shortage". */
  prefer: z.string().optional(),
  maxPoints: z.number().int().min(1).max(20).default(4),
  /** Only documents whose file name or title matches (a regular expression): "regulations 2015", "SCCIF". */
  documents: pattern.optional(),
  /** Shown when nothing is found. */
  whenEmpty: z.string().optional(),
});

const figuresSection = z.object({
  kind: z.literal("figures"),
  heading,
  provisions,
  intro: z.string().optional(),
  fields: z.array(z.enum(figureFields)).min(1),
  /** At most this many figures per list field (planned provision, commissioning, action plan). */
  maxPerField: z.number().int().min(1).max(20).default(3),
});

const checklistSection = z.object({
  kind: z.literal("checklist"),
  heading,
  provisions,
  intro: z.string().optional(),
  items: z
    .array(
      z.object({
        label: z.string().min(1),
        /** Finds what the rules require (statute, guidance, inspection framework). */
        requirement: z.string().min(1),
        /** Only rules documents whose file name or title matches: "regulations 2015" for a regulation's text. */
        in: pattern.optional(),
        /** Sentences matching this are preferred as the requirement (default: must, should, ensure, require). */
        prefer: pattern.optional(),
        /** Finds evidence in the provider's own documents; without it the line holds the requirement only. */
        evidence: z.string().min(1).optional(),
        /** What to write or add when the provider's documents hold no evidence ("Add your missing child policy"). */
        gap: z.string().min(1).max(300).optional(),
      }),
    )
    .min(1)
    .max(40),
});

const signatureSection = z.object({ kind: z.literal("signature"), heading });

export const templateSectionSchema = z.discriminatedUnion("kind", [textSection, evidenceSection, figuresSection, checklistSection, signatureSection]);

export const taskTemplateSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, "lower-case letters, digits and hyphens"),
  version: z.number().int().min(1),
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(1000),
  /** The Toolkit page's heading for it; a user's template without one is listed under "Your templates". */
  group: z.enum(templateGroups).optional(),
  inputs: z.object({
    la: z.enum(["required", "optional", "unused"]).default("optional"),
    about: z.enum(["required", "optional", "unused"]).default("optional"),
  }),
  /**
   * How a plain request reaches this template (src/toolkit/drafting-intent.ts): `phrases` are the words that name
   * it ("mock inspection", "staffing plan"), matched with typos tolerated when the request asks to draft, write,
   * outline or create something; `standalone` phrases name it even without such a verb; `examples` are requests
   * shown to users (README, Toolkit page) and tested to reach it.
   */
  intents: z
    .object({
      phrases: z.array(z.string().min(2).max(80)).max(40).default([]),
      standalone: z.array(z.string().min(2).max(80)).max(10).default([]),
      examples: z.array(z.string().min(5).max(300)).max(10).default([]),
    })
    .default({ phrases: [], standalone: [], examples: [] }),
  /**
   * The provider's own documents this draft draws on (tagged own_policy): found by file name or title; when one is
   * missing the draft says which document to add.
   */
  ownDocuments: z.array(z.object({ label: z.string().min(1).max(120), match: pattern })).max(12).default([]),
  sections: z.array(templateSectionSchema).min(1).max(60),
  /**
   * Regular expressions (case-insensitive) for asking this in the chat: a question that asks to draft, write or
   * prepare something matching one of them ("draft an email to Notts ...") is drafted with this template.
   */
  askPatterns: z.array(pattern).max(10).default([]),
});

export type TaskTemplate = z.infer<typeof taskTemplateSchema>;
export type TemplateSection = z.infer<typeof templateSectionSchema>;
export type EvidenceScope = (typeof evidenceScopes)[number];

/** Authority kinds that count as "the rules" for checklist requirements. */
export const ruleKinds: readonly AuthorityKind[] = ["statute", "statutory_guidance", "inspection_framework"];
