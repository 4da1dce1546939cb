/**
 * POST .../ask: the answer as Server-Sent Events, through the same answerer the CLI uses (createAnswerer: a
 * language model when the workspace or server configures one, else the extractive answerer). A model's draft is
 * sent as `token` events as it arrives; the extractive answer, computed at once, is sent a line or sentence at a
 * time. Then the full `answer` with citations (each with the id of its document, for page images), or `error`.
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { AnswerService } from "../answer/create-answerer.ts";
import { createAnswerer } from "../answer/create-answerer.ts";
import { loadTemplateLibrary } from "../toolkit/template-library.ts";
import { publicAnswer } from "../answer/public-answer.ts";
import type { Answer } from "../answer/types.ts";
import type { HearthConfig } from "../config/config.ts";
import type { Result } from "../errors/hearth-error.ts";
import { describeError } from "../errors/hearth-error.ts";
import type { Store } from "../store/types.ts";
import { currentUser } from "./auth.ts";
import { readJson } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { workspaceConfig } from "./settings.ts";
import type { WorkspaceLibrary } from "./workspace-libraries.ts";
import { requireRole } from "./workspaces.ts";

export const sessionNameSchema = z
  .string()
  .trim()
  .min(1, "a session name is required")
  .max(120, "the session name is too long");

const askSchema = z.object({
  question: z.string().trim().min(1, "ask a question").max(2000, "the question is too long"),
  session: sessionNameSchema.optional(),
});

/** Splits answer text into pieces that keep their whitespace: lines, then sentences within long lines. */
export function answerPieces(text: string): string[] {
  // Split at zero-width positions only, so the pieces join back to exactly the answer text.
  return text.split(/(?<=\n)(?=[^\n])|(?<=[.!?] )(?=\S)/).filter((piece) => piece.length > 0);
}

export function answerWithDocumentIds(answer: Answer, library: WorkspaceLibrary): Record<string, unknown> {
  const idsByName = new Map<string, number>();
  for (const document of library.store.listDocuments()) if (!idsByName.has(document.fileName)) idsByName.set(document.fileName, document.id);
  const shown = publicAnswer(answer);
  return {
    ...shown,
    citations: shown.citations.map((citation) => ({ ...citation, documentId: idsByName.get(citation.file) ?? null })),
    refused: answer.refused,
  };
}

/** One answer service per workspace store, rebuilt when the workspace's provider settings change. */
const answerServices = new WeakMap<Store, { key: string; service: Result<AnswerService> }>();

export function answerServiceFor(library: WorkspaceLibrary, config: HearthConfig): Result<AnswerService> {
  const effective = workspaceConfig(library.store, config, library.folder);
  const key = JSON.stringify([effective.llm, effective.embeddings]);
  const cached = answerServices.get(library.store);
  if (cached && cached.key === key) return cached.service;
  // Templates are the server's (built-in and <data>/templates), as on the Toolkit page, whichever workspace asks.
  const service = createAnswerer({ store: library.store, config: effective, templates: () => loadTemplateLibrary(config.dataDir).templates });
  answerServices.set(library.store, { key, service });
  return service;
}

export function registerAskRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  const { libraries, accounts, config } = services;

  app.post("/api/workspaces/:workspaceId/ask", async (c) => {
    requireRole(c, "viewer");
    const body = await readJson(c.req.raw, askSchema);
    const workspaceId = c.get("workspace").id;
    const userId = currentUser(c).id;
    const library = libraries.get(workspaceId);
    accounts.recordAudit({ userId, workspaceId, action: "question", detail: body.question.slice(0, 500) });
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      const send = (event: string, data: unknown): Promise<void> => stream.writeSSE({ event, data: JSON.stringify(data) });
      try {
        const service = answerServiceFor(library, config);
        if (!service.ok) {
          await send("error", { error: service.error.message });
          return;
        }
        let writing = Promise.resolve();
        let streamed = false;
        const result = await service.value.answer(body.question, {
          signal: abort.signal,
          ...(body.session ? { session: body.session } : {}),
          onToken: (text) => {
            streamed = true;
            writing = writing.then(() => send("token", { text }));
          },
        });
        await writing;
        if (!result.ok) {
          await send("error", { error: result.error.message });
          return;
        }
        const answer = result.value;
        if (!streamed) {
          for (const piece of answerPieces(answer.answer)) {
            if (stream.aborted) return;
            await send("token", { text: piece });
          }
        }
        if (body.session) library.store.addExchange(body.session, { askedAt: new Date().toISOString(), answer });
        await send("answer", answerWithDocumentIds(answer, library));
      } catch (error) {
        await send("error", { error: `Could not answer: ${describeError(error)}` });
      }
    });
  });
}
