/**
 * Toolkit tasks asked for in the chat: "Can you draft an email to a local authority ... introduce Lumen Way Homes
 * and ask whether they are struggling with referrals ..." is a request for the LA commissioner email, not a question
 * the library answers. A question is a task when it asks to draft, write, outline or create something (a drafting
 * verb, typos tolerated) or names a template on its own ("mock inspection"), and names a template by its intents'
 * phrases or `askPatterns` (drafting-intent.ts); the local authority, the subject and the home's options (age
 * range, beds, specialism) come from its words.
 */
import type { DraftRecord, Session } from "../answer/types.ts";
import { findLocalAuthorities } from "../market/local-authority-names.ts";
import type { DraftOptions, DraftStyle } from "./draft-engine.ts";
import { asksForDraft, hasDraftingVerb, optionsFromQuestion, rankTemplates, revisionFromQuestion } from "./drafting-intent.ts";
import type { LoadedTemplate } from "./template-library.ts";
import type { TaskTemplate } from "./template-schema.ts";

export interface TaskRequest {
  template: TaskTemplate;
  la: string | undefined;
  about: string | undefined;
  /** The home's options the question states; the profile and the session fill the rest. */
  options: DraftOptions;
  /** Other templates the question could mean, best first: offered beside the draft. */
  alternatives: TaskTemplate[];
  /** A follow-up's revision of the session's last draft. */
  style?: DraftStyle;
  /** Other templates in the same Toolkit group, offered when no other template was close. */
  related?: TaskTemplate[];
}

/** The last draft in a session, if any: what a follow-up revises and where options not in the question come from. */
export function lastDraft(session: Session | undefined): DraftRecord | undefined {
  if (!session) return undefined;
  for (let index = session.exchanges.length - 1; index >= 0; index--) {
    const record = session.exchanges[index]?.answer.draft;
    if (record) return record;
  }
  return undefined;
}

/**
 * A follow-up in a session that revises its last draft: "shorter", "more on therapy", "as a letter". The same
 * template and inputs are drafted again with the revision (revisions add up: "shorter" then "as a letter").
 */
export function followUpTask(question: string, templates: readonly LoadedTemplate[], session: Session): TaskRequest | null {
  const record = lastDraft(session);
  const style = revisionFromQuestion(question);
  if (!record || !style) return null;
  const template = templates.find((loaded) => loaded.template.id === record.template)?.template;
  if (!template) return null;
  return {
    template,
    la: record.la,
    about: record.about,
    options: record.options ?? {},
    alternatives: [],
    style: { ...record.style, ...style },
  };
}

const aboutAnAuthority = /\b(local authorit(y|ies)|councils?|commissioners?|commissioning|LAs?)\b/i;

/** "they are struggling" -> "you are struggling": the subject is addressed to the reader of the draft. */
function addressed(text: string): string {
  return text
    .replace(/\bthey are\b/gi, "you are")
    .replace(/\bthey're\b/gi, "you're")
    .replace(/\bthey\b/gi, "you")
    .replace(/\btheir\b/gi, "your")
    .replace(/\bthem\b/gi, "you");
}

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[\s.?!,;:]+$/, "").trim();
}

/** What the draft is about, from the question's own words, or undefined. */
function subjectOf(question: string): string | undefined {
  const asking = /\bask(?:ing)?(?: (?:them|the \w+|if|whether))?\s+(whether|if|about)\s+(.+)$/i.exec(question);
  if (asking) return tidy(addressed(`${asking[1]!.toLowerCase() === "about" ? "" : `${asking[1]!.toLowerCase()} `}${asking[2]!}`)).slice(0, 300);
  const about = /\b(?:about|regarding|concerning|focus(?:ing|ed)? on|on the subject of)\s+(.+)$/i.exec(question);
  if (about) return tidy(addressed(about[1]!)).slice(0, 300);
  const proposed = /\bfor (an? (?:new |proposed )?(?:\w+[- ])?(?:bed(?:ded)? )?(?:children'?s )?home\b.*)$/i.exec(question);
  if (proposed) return tidy(proposed[1]!).slice(0, 300);
  const on = /\bon\s+(?!behalf\b)(.+)$/i.exec(question);
  if (on) return tidy(addressed(on[1]!)).slice(0, 300);
  return undefined;
}

/**
 * Whether a question may ask to draft something: a drafting verb, or any words at all when templates name
 * themselves ("mock inspection"). Cheap, so the templates are read from disk only when it holds.
 */
export function asksToDraft(question: string): boolean {
  return question.trim().length > 0 && (hasDraftingVerb(question) || question.split(/\s+/).length <= 40);
}

/** The task a question asks for, or null for an ordinary question. */
export function detectTask(question: string, templates: readonly LoadedTemplate[], session?: Session): TaskRequest | null {
  const ranked = rankTemplates(
    question,
    templates.map((loaded) => loaded.template),
  );
  if (ranked.length === 0 || !asksForDraft(question, ranked)) return null;
  const authorities = findLocalAuthorities(question);
  // A task written for a local authority is asked for only when the question is about one ("a letter to parents"
  // is not an email to a commissioner).
  const fits = ranked.filter(({ template }) => template.inputs.la !== "required" || authorities.length > 0 || aboutAnAuthority.test(question));
  const best = fits[0];
  if (!best) return null;
  const { template } = best;
  // What the question leaves out comes from the session's last draft (the LA and the home's options).
  const earlier = lastDraft(session);
  const la = template.inputs.la === "unused" ? undefined : (authorities[0] ?? earlier?.la);
  const about = template.inputs.about === "unused" ? undefined : subjectOf(question);
  return {
    template,
    la,
    about,
    options: { ...earlier?.options, ...optionsFromQuestion(question) },
    alternatives: fits.slice(1, 4).map((match) => match.template),
    related: template.group
      ? templates
          .map((loaded) => loaded.template)
          .filter((other) => other.group === template.group && other.id !== template.id && !fits.slice(1, 4).some((match) => match.template.id === other.id))
          .slice(0, 3)
      : [],
  };
}
