/**
 * Toolkit tasks asked for in the chat: "Can you draft an email to a local authority ... introduce Lumen Way Homes
 * and ask whether they are struggling with referrals ..." is a request for the LA commissioner email, not a question
 * the library answers. A question is a task when it asks to draft, write or prepare something (a drafting verb)
 * and matches one of a template's `askPatterns`; the local authority and the subject come from its words.
 */
import { findLocalAuthorities } from "../market/local-authority-names.ts";
import type { LoadedTemplate } from "./template-library.ts";
import type { TaskTemplate } from "./template-schema.ts";

export interface TaskRequest {
  template: TaskTemplate;
  la: string | undefined;
  about: string | undefined;
}

const aboutAnAuthority = /\b(local authorit(y|ies)|councils?|commissioners?|commissioning|LAs?)\b/i;

const draftingVerb = /\b(draft|drafting|write|writing|prepare|compose|produce|create|put together|redraft|mock up)\b/i;

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

/** Whether a question asks to draft, write or prepare something: only then is it worth reading the templates. */
export function asksToDraft(question: string): boolean {
  return draftingVerb.test(question);
}

/** The task a question asks for, or null for an ordinary question. */
export function detectTask(question: string, templates: readonly LoadedTemplate[]): TaskRequest | null {
  if (!asksToDraft(question)) return null;
  for (const { template } of templates) {
    if (!template.askPatterns.some((source) => new RegExp(source, "i").test(question))) continue;
    const la = template.inputs.la === "unused" ? undefined : findLocalAuthorities(question)[0];
    // A task written for a local authority is asked for only when the question is about one ("a letter to parents"
    // is not an email to a commissioner).
    if (template.inputs.la === "required" && !la && !aboutAnAuthority.test(question)) continue;
    const about = template.inputs.about === "unused" ? undefined : subjectOf(question);
    return { template, la, about };
  }
  return null;
}
