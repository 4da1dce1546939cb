/**
 * A task template: a versioned definition of a strategy document (inputs, retrieval queries, output sections),
 * validated with zod. Built-in templates live in src/toolkit/templates/*.json; users add their own as JSON files in
 * <dataDir>/templates/.
 *
 * Text may hold placeholders: {la}, {about}, {today}, {profile.<field>} (see src/profile). A line starting with "?"
 * is left out when one of its placeholders has no value; otherwise a missing value shows as a bracketed prompt
 * naming the command that fills it.
 */
import { z } from "zod";
import type { AuthorityKind } from "../authority/source-authority.ts";
import { figureFields } from "../market/figures.ts";

const heading = z.string().min(1).max(200).optional();

/** Where evidence comes from: the LA's own documents, the whole library, the provider's own documents, or rules. */
export const evidenceScopes = ["la", "library", "own", "rules"] as const;

const textSection = z.object({
  kind: z.literal("text"),
  heading,
  lines: z.array(z.string()).min(1),
});

const evidenceSection = z.object({
  kind: z.literal("evidence"),
  heading,
  /** A line before the cited points. */
  intro: z.string().optional(),
  /** The line used instead when `intro` is a "?" line left out (an LA's plans, when no LA was named). */
  introOtherwise: z.string().optional(),
  queries: z.array(z.string().min(1)).min(1).max(20),
  scope: z.enum(evidenceScopes).default("library"),
  /** Sentences matching this (case-insensitive regular expression) are preferred: "need|gap|shortage". */
  prefer: z.string().optional(),
  maxPoints: z.number().int().min(1).max(20).default(4),
  /** Shown when nothing is found. */
  whenEmpty: z.string().optional(),
});

const figuresSection = z.object({
  kind: z.literal("figures"),
  heading,
  intro: z.string().optional(),
  fields: z.array(z.enum(figureFields)).min(1),
  /** At most this many figures per list field (planned provision, commissioning, action plan). */
  maxPerField: z.number().int().min(1).max(20).default(3),
});

const checklistSection = z.object({
  kind: z.literal("checklist"),
  heading,
  intro: z.string().optional(),
  items: z
    .array(
      z.object({
        label: z.string().min(1),
        /** Finds what the rules require (statute, guidance, inspection framework). */
        requirement: z.string().min(1),
        /** Finds evidence in the provider's own documents. */
        evidence: z.string().min(1),
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
  inputs: z.object({
    la: z.enum(["required", "optional", "unused"]).default("optional"),
    about: z.enum(["required", "optional", "unused"]).default("optional"),
  }),
  sections: z.array(templateSectionSchema).min(1).max(60),
  /**
   * Regular expressions (case-insensitive) for asking this in the chat: a question that asks to draft, write or
   * prepare something matching one of them ("draft an email to Notts ...") is drafted with this template.
   */
  askPatterns: z
    .array(
      z.string().refine((source) => {
        try {
          new RegExp(source, "i");
          return true;
        } catch {
          return false;
        }
      }, "not a valid regular expression"),
    )
    .max(10)
    .default([]),
});

export type TaskTemplate = z.infer<typeof taskTemplateSchema>;
export type TemplateSection = z.infer<typeof templateSectionSchema>;
export type EvidenceScope = (typeof evidenceScopes)[number];

/** Authority kinds that count as "the rules" for checklist requirements. */
export const ruleKinds: readonly AuthorityKind[] = ["statute", "statutory_guidance", "inspection_framework"];
