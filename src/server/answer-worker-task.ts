/**
 * What an answer worker thread does: the same answerer as the CLI (createAnswerer) over its own connection to the
 * workspace's library, so that scoring passages for an offline (extractive) answer never holds the server's event
 * loop while twenty people ask at once. The answer goes back as plain data.
 */
import type { PreviousExchange } from "../answer/follow-up.ts";
import type { Answer } from "../answer/types.ts";
import type { AnswerService } from "../answer/create-answerer.ts";
import { createAnswerer } from "../answer/create-answerer.ts";
import type { HearthConfig } from "../config/config.ts";
import type { Result } from "../errors/hearth-error.ts";
import { memoizeReads } from "../store/read-memo.ts";
import type { MemoizedStore } from "../store/read-memo.ts";
import type { Store } from "../store/types.ts";
import { loadTemplateLibrary } from "../toolkit/template-library.ts";
import { warmUpAnswering } from "./answer-warm-up.ts";
import { workerLibrary } from "./worker-stores.ts";

export interface AnswerRequest {
  /** The workspace's folder in the server's data folder (holds hearth.db when the library is SQLite). */
  folder: string;
  /** The workspace whose library answers: its rows in PostgreSQL when `config.storeUrl` is a postgres:// URL. */
  workspaceId: string;
  /** The workspace's effective configuration (its provider, its folder as dataDir). */
  config: HearthConfig;
  /** The server's data folder: its workspaces' libraries, and the templates/ a drafting question may use. */
  templatesDataDir: string;
  drafting: boolean;
  question: string;
  /** The conversation so far (a session's or the page's), so that a follow-up is read with its subject. */
  history?: PreviousExchange[];
  /** The working session the question goes to (a follow-up there may revise its last draft). */
  session?: string;
}

/**
 * The answer, and the document id of each file it cites (first document of that name, as the library lists them):
 * read here from the thread's remembered document list, so the server need not list the library again per answer.
 */
export type AnswerReply =
  | { ok: true; answer: Answer; documentIds: Record<string, number> }
  | { ok: false; error: { code: string; message: string; subject?: string | undefined } };

const services = new Map<string, { key: string; service: Result<AnswerService> }>();
/** Per library, its look-ups read once per question (a thread answers one question at a time). */
const memoized = new WeakMap<Store, MemoizedStore>();

export async function runAnswer(request: AnswerRequest): Promise<AnswerReply> {
  // Opened the way the server opens it (openWorkspaceLibrary), so that on PostgreSQL the thread reads the
  // workspace's rows there, not an empty SQLite file in the workspace's folder.
  const library = (await workerLibrary({ dataDir: request.templatesDataDir, storeUrl: request.config.storeUrl }, request.workspaceId)).store;
  let reads = memoized.get(library);
  if (!reads) memoized.set(library, (reads = memoizeReads(library)));
  // One read of the library version per question: whatever another process changed since the last one is read again.
  await reads.refresh();
  const key = JSON.stringify([request.config.llm, request.config.embeddings]);
  const slot = `${request.folder}\u0000${request.drafting ? "drafting" : "answering"}`;
  let cached = services.get(slot);
  if (!cached || cached.key !== key) {
    const service = createAnswerer({
      store: reads.store,
      config: request.config,
      templates: () => (request.drafting ? loadTemplateLibrary(request.templatesDataDir).templates : []),
    });
    services.set(slot, (cached = { key, service }));
  }
  if (!cached.service.ok) return { ok: false, error: { code: cached.service.error.code, message: cached.service.error.message, subject: cached.service.error.subject } };
  const result = await cached.service.value.answer(request.question, {
    ...(request.history ? { history: request.history } : {}),
    ...(request.session ? { session: request.session } : {}),
  });
  if (!result.ok) return { ok: false, error: { code: result.error.code, message: result.error.message, subject: result.error.subject } };
  const cited = new Set(result.value.citations.map((citation) => citation.file));
  const documentIds: Record<string, number> = {};
  if (cited.size > 0) {
    for (const document of await reads.store.documents.list()) {
      if (cited.has(document.fileName) && !Object.hasOwn(documentIds, document.fileName)) documentIds[document.fileName] = document.id;
    }
  }
  return { ok: true, answer: result.value, documentIds };
}

/**
 * The thread's warm-up (answer-warm-up.ts), once per thread: how many built-in questions it answered, 0 when it could
 * not warm up (the thread still answers; its first answers are only slower).
 */
let warmedUp: Promise<number> | undefined;

export function warmUpThread(): Promise<number> {
  warmedUp ??= warmUpAnswering().then(
    (outcome) => outcome.answered,
    () => 0,
  );
  return warmedUp;
}
