/**
 * The answerer the configuration asks for: grounded generation with a language model (retrieval hybrid when
 * embeddings are configured), or the offline extractive answerer. A question that asks to draft a toolkit task
 * ("draft an email to Nottinghamshire ...") is drafted with that task's template instead. The models come in their
 * middleware chain (src/providers/model-chain.ts): every call to a model endpoint is logged in
 * <dataDir>/requests.log, and what goes to an endpoint off the machine is redacted unless privacy.redact is "never".
 */
import type { HearthConfig } from "../config/config.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { shouldRedact } from "../privacy/policy.ts";
import { createRequestLog } from "../privacy/request-log.ts";
import { createEmbeddingModel, createLanguageModel } from "../providers/from-config.ts";
import type { EmbeddingModel, LanguageModel, RequestListener } from "../providers/types.ts";
import { createHybridSearcher } from "../retrieval/hybrid.ts";
import { addOutOfDateNotes, authorityLabels, libraryAuthorities, withSourceAuthority } from "../authority/source-authority.ts";
import { separateNotes } from "./answer-notes.ts";
import { resolveFollowUp } from "./follow-up.ts";
import { createSearcher } from "../retrieval/search.ts";
import { attributeVoice } from "../identity/attribute-voice.ts";
import { withDocumentIdentity } from "../identity/identity-search.ts";
import type { Store } from "../store/types.ts";
import { answerFromTables } from "../tables/table-answerer.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";
import type { AskOptions } from "./grounded-answerer.ts";
import { createGroundedAnswerer } from "./grounded-answerer.ts";
import type { Answer } from "./types.ts";
import type { DraftWriter } from "../toolkit/model-draft.ts";
import { draftDocument, draftWriterFor } from "../toolkit/model-draft.ts";
import type { TaskRequest } from "../toolkit/task-intent.ts";
import { asksToDraft, detectTask, followUpTask } from "../toolkit/task-intent.ts";
import type { LoadedTemplate } from "../toolkit/template-library.ts";
import { loadTemplateLibrary } from "../toolkit/template-library.ts";

export interface ServiceAskOptions extends AskOptions {
  /** The working session the question is asked in: a follow-up there ("shorter", "as a letter") revises its last draft. */
  session?: string | undefined;
}

export interface AnswerService {
  /** "llm" when a language model is configured (answers may still fall back to "extractive"). */
  mode: "llm" | "extractive";
  model: LanguageModel | null;
  embeddings: EmbeddingModel | null;
  answer(question: string, options?: ServiceAskOptions): Promise<Result<Answer>>;
}

export interface CreateAnswererOptions {
  store: Store;
  config: HearthConfig;
  /** The task templates a question may ask for ("draft an email to ..."); defaults to <dataDir>/templates + built-ins. */
  templates?: () => readonly LoadedTemplate[];
  /** Where request records go; defaults to <dataDir>/requests.log. */
  onRequest?: RequestListener;
  warn?: (message: string) => void;
}

/** A toolkit task asked for in the chat, drafted with its template (by the model when one is configured). */
async function answerTask(store: Store, question: string, task: TaskRequest, writer: DraftWriter | null, options: ServiceAskOptions): Promise<Result<Answer>> {
  const drafted = await draftDocument(
    { store, writer },
    {
      template: task.template,
      la: task.la,
      about: task.about,
      chat: true,
      organisationName: organisationNamed(question),
      options: task.options,
      style: task.style,
    },
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onToken ? { onToken: options.onToken } : {}) },
  );
  if (!drafted.ok) return drafted;
  const notes: string[] = [];
  if (task.template.inputs.la !== "unused" && !task.la) {
    notes.push(`Name the local authority in your question (for example "to Nottinghamshire") and the draft cites its own plans and figures.`);
  }
  notes.push(
    task.style
      ? `This revises the last draft in the session with the ${task.template.id} template (version ${task.template.version}).`
      : `Drafted with the "${task.template.title}" template (${task.template.id}, version ${task.template.version}); the Toolkit page and hearth draft offer all its options.`,
  );
  if (task.alternatives.length > 0) notes.push(`Also close: ${task.alternatives.map((other) => `"${other.title}" (${other.id})`).join(", ")}.`);
  else if (task.related && task.related.length > 0 && task.template.group) {
    notes.push(`Also in ${task.template.group}: ${task.related.map((other) => `"${other.title}" (${other.id})`).join(", ")}.`);
  }
  if (options.session) notes.push(`Ask "shorter", "more on …" or "as a letter" in this session to revise it.`);
  // draftDocument has already moved the draft's own notes out of its text: the chat's notes join them there.
  return ok({ ...drafted.value, question, answer: `Draft: ${drafted.value.question}\n\n${drafted.value.answer}`, notes: [...(drafted.value.notes ?? []), notes.join(" ")] });
}

/** "introduce Lumen Way Homes ITP and ask ..." -> "Lumen Way Homes ITP". */
function organisationNamed(question: string): string | undefined {
  return /\bintroduc\w*\s+((?:[A-Z][\p{L}&'’-]*\s?){1,6})/u.exec(question)?.[1]?.trim();
}

/**
 * A follow-up is rewritten with the conversation's subject before anything else sees it; the answer keeps the
 * user's own words as its question and carries the rewritten one, and Hearth's notes leave its text.
 */
function resolve(asked: string, options: AskOptions): { question: string; finish: (result: Result<Answer>) => Result<Answer> } {
  const resolved = resolveFollowUp(asked, options.history ?? []);
  return {
    question: resolved.question,
    finish: (result) =>
      result.ok
        ? ok(separateNotes({ ...result.value, question: asked, ...(resolved.rewritten ? { resolvedQuestion: resolved.question } : {}) }))
        : result,
  };
}

export function createAnswerer({ store, config, onRequest, warn, templates }: CreateAnswererOptions): Result<AnswerService> {
  const taskTemplates = templates ?? (() => loadTemplateLibrary(config.dataDir).templates);
  // Templates are read from disk (users add their own) only for a question that asks to draft something.
  const taskIn = async (question: string, options: ServiceAskOptions): Promise<TaskRequest | null> => {
    if ((options.images?.length ?? 0) > 0 || !asksToDraft(question)) return null;
    const session = options.session ? await store.sessions.get(options.session) : undefined;
    return detectTask(question, taskTemplates(), session) ?? (session ? followUpTask(question, taskTemplates(), session) : null);
  };
  const listener = onRequest ?? createRequestLog(config.dataDir, warn);
  const model = createLanguageModel(config, listener);
  if (!model.ok) return model;
  const embeddings = createEmbeddingModel(config, listener);
  if (!embeddings.ok) return embeddings;
  // Higher authority and newer sources rank a little higher (statute over a market report, 2023 over 2011).
  const searcher = withSourceAuthority(withDocumentIdentity(createSearcher(store), store), store);
  const extractive = createExtractiveAnswerer({ store, searcher });
  // Questions over data sets (counts, totals, rankings, trends) are computed from the stored tables first; a model
  // may propose the query (checked against the table) when the question may be sent to it unredacted.
  const computed = (question: string, tableModel: LanguageModel | null = null, signal?: AbortSignal): Promise<Answer | null> =>
    answerFromTables(store, question, tableModel, signal ? { signal } : {});
  const hybrid = createHybridSearcher({
    store,
    searcher,
    embeddings: embeddings.value,
  });

  if (model.value === null) {
    return ok({
      mode: "extractive",
      model: null,
      embeddings: embeddings.value,
      async answer(asked, options = {}) {
        const { question, finish } = resolve(asked, options);
        // A drafting request, or a revision of the session's last draft ("as a letter"), is read in the user's own words,
        // not as the follow-up resolver rewrote them for retrieval.
        const task = await taskIn(asked, options);
        if (task) return finish(await answerTask(store, question, task, null, options));
        if ((options.images?.length ?? 0) > 0) {
          return Promise.resolve(
            fail(
              new HearthError(
                "IMAGES_NOT_SUPPORTED",
                "Photos need a language model that accepts images, and none is configured (HEARTH_LLM_PROVIDER is extractive). See README, Language models.",
                { subject: "HEARTH_LLM_PROVIDER" },
              ),
            ),
          );
        }
        const answer = (await computed(question)) ?? (await attributeVoice(await extractive.answer(question), store));
        return finish(ok(await addOutOfDateNotes(answer, store)));
      },
    });
  }

  const writer = draftWriterFor({ model: model.value });
  const grounded = createGroundedAnswerer({
    store,
    model: model.value,
    fallback: extractive,
    retrieve: (question) => hybrid.search(question, { limit: 8, perPage: 2 }),
    describeSource: async (result) => {
      const authority = (await libraryAuthorities(store)).of(result);
      return {
        title: result.title,
        date: authority.period ? `${authority.period.from}-${authority.period.to}` : authority.year !== null ? String(authority.year) : null,
        authority: authorityLabels[authority.kind],
        // The author organisation comes with document identity (not yet stored).
        organisation: null,
      };
    },
  });
  return ok({
    mode: "llm",
    model: model.value,
    embeddings: embeddings.value,
    async answer(asked, options = {}) {
      const { question, finish } = resolve(asked, options);
      const task = await taskIn(asked, options);
      if (task) return finish(await answerTask(store, question, task, writer, options));
      const tableModel = model.value && !shouldRedact(config.privacy.redact, model.value.local) ? model.value : null;
      const fromTable = (options.images?.length ?? 0) > 0 ? null : await computed(question, tableModel, options.signal);
      if (fromTable) return finish(ok(fromTable));
      const answered = await grounded.answer(question, options);
      return finish(answered.ok ? ok(await addOutOfDateNotes(await attributeVoice(answered.value, store), store)) : answered);
    },
  });
}
