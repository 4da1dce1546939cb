/**
 * POST .../ask: the answer as Server-Sent Events, through the same answerer the CLI uses (createAnswerer: a
 * language model when the workspace or server configures one, else the extractive answerer). A model's draft is
 * sent as `token` events as it arrives; the extractive answer, computed at once, is sent a line or sentence at a
 * time. Then the full `answer` with citations (each with the id of its document, for page images), its gaps, notes
 * and what the check changed, or `error`. The session's (or the page's) recent exchanges go with the question, so
 * a follow-up is answered about the right thing.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import * as z from "zod";
import type { AnswerService } from "../answer/create-answerer.ts";
import { createAnswerer } from "../answer/create-answerer.ts";
import { sessionHistory } from "../answer/follow-up.ts";
import { loadTemplateLibrary } from "../toolkit/template-library.ts";
import { publicAnswer } from "../answer/public-answer.ts";
import type { PublicAnswer, PublicCitation } from "../answer/public-answer.ts";
import type { Answer, Citation } from "../answer/types.ts";
import type { HearthConfig } from "../config/config.ts";
import type { Result } from "../errors/hearth-error.ts";
import { describeError, ok } from "../errors/hearth-error.ts";
import type { Store } from "../store/types.ts";
import type { HearthError } from "../errors/hearth-error.ts";
import { allow, mayDraft, sessionForQuestion } from "./authorise.ts";
import { currentUser } from "./auth.ts";
import type { SecretBox } from "./secret-box.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";
import { assertModelAddressAllowed, safeProviderMessage, workspaceConfig } from "./settings.ts";
import type { WorkspaceLibrary } from "./workspace-libraries.ts";

export const sessionNameSchema = z
  .string()
  .trim()
  .min(1, "a session name is required")
  .max(120, "the session name is too long");

const askSchema = z.object({
  question: z.string().trim().min(1, "ask a question").max(2000, "the question is too long"),
  session: sessionNameSchema.optional(),
  /** The conversation so far on the page (oldest first), when it is not saved to a session. */
  history: z
    .array(z.object({ question: z.string().max(2000), answer: z.string().max(20_000) }))
    .max(20)
    .optional(),
});

/** Splits answer text into pieces that keep their whitespace: lines, then sentences within long lines. */
export function answerPieces(text: string): string[] {
  // Split at zero-width positions only, so the pieces join back to exactly the answer text.
  return text.split(/(?<=\n)(?=[^\n])|(?<=[.!?] )(?=\S)/).filter((piece) => piece.length > 0);
}

/** A citation as the web app shows it: its document's id (for page images), and a computed figure's table query. */
export type WebCitation = PublicCitation & { documentId: number | null; table?: NonNullable<Citation["table"]> };

/** An answer (or a draft) as the web API sends it. */
export type WebAnswer = Omit<PublicAnswer, "citations"> & { citations: WebCitation[]; refused: boolean };

/** The events of POST .../ask's stream, by name, with their data: the web app reads the stream with these types. */
export interface AskStreamEvents {
  /** A piece of the answer's text; `checking`: the model's draft, not yet checked against the library. */
  token: { text: string; checking?: boolean };
  answer: WebAnswer & { session?: string };
  error: { error: string };
}

/** One event of POST .../ask's stream as text, as `writeSSE` writes it (JSON data holds no line break). */
export function sseEvent<Name extends keyof AskStreamEvents>(event: Name, data: AskStreamEvents[Name]): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** `known`: the cited files' ids as an answer thread found them (then the library is not listed again here). */
export async function answerWithDocumentIds(answer: Answer, library: WorkspaceLibrary, known?: Record<string, number>): Promise<WebAnswer> {
  const idsByName = new Map<string, number>(known ? Object.entries(known) : []);
  if (!known) for (const document of await library.store.documents.list()) if (!idsByName.has(document.fileName)) idsByName.set(document.fileName, document.id);
  const shown = publicAnswer(answer);
  return {
    ...shown,
    // A computed figure's citation keeps its table query, so the page can open the rows behind it.
    citations: shown.citations.map((citation, index) => {
      const table = answer.citations[index]?.table;
      return { ...citation, documentId: idsByName.get(citation.file) ?? null, ...(table ? { table } : {}) };
    }),
    refused: answer.refused,
  };
}

/**
 * One answer service per workspace store and drafting right, rebuilt when the workspace's provider settings
 * change. Without the right to draft (viewers) the service knows no templates, so a plain-words task asked in the
 * chat is answered from the library rather than drafted: the same rule as POST /drafts.
 */
const answerServices = new WeakMap<Store, Map<string, { key: string; service: Result<AnswerService> }>>();

export async function answerServiceFor(
  library: WorkspaceLibrary,
  config: HearthConfig,
  secrets: SecretBox,
  { drafting }: { drafting: boolean },
): Promise<Result<AnswerService>> {
  const effective = await workspaceConfig(library.store, config, library.folder, secrets);
  const key = JSON.stringify([effective.llm, effective.embeddings]);
  let perStore = answerServices.get(library.store);
  if (!perStore) answerServices.set(library.store, (perStore = new Map()));
  const slot = drafting ? "drafting" : "answering";
  const cached = perStore.get(slot);
  if (cached && cached.key === key) return cached.service;
  // Templates are the server's (built-in and <data>/templates), as on the Toolkit page, whichever workspace asks.
  const service = createAnswerer({
    store: library.store,
    config: effective,
    templates: () => (drafting ? loadTemplateLibrary(config.dataDir).templates : []),
  });
  perStore.set(slot, { key, service });
  return service;
}

/** The message for an answering failure: a provider's in our own words (never its reply body), others as they are. */
export function answerErrorMessage(error: HearthError): string {
  return error.code.startsWith("PROVIDER_") || error.code === "TIMEOUT" ? safeProviderMessage(error) : error.message;
}

export function askRoutes(services: ServerServices) {
  const { libraries, accounts, config, secrets } = services;

  return new Hono<ServerEnv>()
  .post("/api/workspaces/:workspaceId/ask", allow("viewer"), jsonBody(askSchema), async (c) => {
    const body = c.req.valid("json");
    const workspaceId = c.get("workspace").id;
    const user = currentUser(c);
    const role = c.get("role");
    const library = await libraries.get(workspaceId);
    const session = sessionForQuestion(role, user, body.session);
    const effective = await workspaceConfig(library.store, config, library.folder, secrets);
    await assertModelAddressAllowed(effective.llm.baseUrl, config);
    await accounts.recordAudit({ userId: user.id, workspaceId, action: "question", detail: body.question.slice(0, 500) });
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      const send = <Name extends keyof AskStreamEvents>(event: Name, data: AskStreamEvents[Name]): Promise<void> => stream.writeSSE({ event, data: JSON.stringify(data) });
      try {
        const drafting = mayDraft(role);
        let writing = Promise.resolve();
        let streamed = false;
        const saved = session ? sessionHistory(await library.store.sessions.get(session)) : [];
        const history = saved.length > 0 ? saved : (body.history ?? []);
        let result: Result<Answer>;
        let documentIds: Record<string, number> | undefined;
        if (effective.llm.provider === "extractive") {
          // CPU work: in a worker thread, so that other requests never wait behind it.
          const pooled = await services.answerPool.answer({
            folder: library.folder,
            workspaceId,
            config: effective,
            templatesDataDir: config.dataDir,
            drafting,
            question: body.question,
            ...(history.length > 0 ? { history } : {}),
            ...(session ? { session } : {}),
          });
          result = pooled.ok ? ok(pooled.value.answer) : pooled;
          if (pooled.ok) documentIds = pooled.value.documentIds;
        } else {
          const service = await answerServiceFor(library, config, secrets, { drafting });
          if (!service.ok) {
            await send("error", { error: answerErrorMessage(service.error) });
            return;
          }
          result = await service.value.answer(body.question, {
            signal: abort.signal,
            ...(history.length > 0 ? { history } : {}),
            ...(session ? { session } : {}),
            onToken: (text) => {
              streamed = true;
              // The model's draft, not yet checked: the page shows it as being checked until the answer comes.
              writing = writing.then(() => send("token", { text, checking: true }));
            },
          });
        }
        await writing;
        if (!result.ok) {
          await send("error", { error: answerErrorMessage(result.error) });
          return;
        }
        const answer = result.value;
        // A reader gone before an answer computed at once was sent: nothing sent, nothing saved (as before).
        if (!streamed && stream.aborted) return;
        if (session) await library.store.sessions.addExchange(session, { askedAt: new Date().toISOString(), answer });
        const final = { ...(await answerWithDocumentIds(answer, library, documentIds)), ...(session ? { session } : {}) };
        if (streamed) {
          await send("answer", final);
          return;
        }
        // An answer computed at once (extractive, or a model that did not stream): its pieces and the answer go
        // out as one write of the same events. One write per piece cost a socket write and a pass through the
        // response's web streams each, for text the page receives in the same instant either way.
        const events = answerPieces(answer.answer).map((piece) => sseEvent("token", { text: piece }));
        await stream.write(events.join("") + sseEvent("answer", final));
      } catch (error) {
        await send("error", { error: `Could not answer: ${describeError(error)}` });
      }
    });
  });
}

export type AskRoutes = ReturnType<typeof askRoutes>;
