// The entry of the server's worker threads (the pools in ingest-pool.ts and answer-pool.ts). Plain JavaScript so
// that a worker can start under any loader: it runs the compiled tasks when a build sits beside it, else the
// TypeScript sources through tsx's loader, registered in this thread.
import { existsSync } from "node:fs";

let registered;

async function load(name) {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(compiled)) return import(compiled.href);
  registered ??= import("tsx/esm/api").then(({ register }) => register());
  await registered;
  return import(new URL(`./${name}.ts`, import.meta.url).href);
}

let ingestTask;
let answerTask;

export async function ingest(request) {
  ingestTask ??= load("ingest-worker-task");
  return (await ingestTask).runIngest(request);
}

export async function answer(request) {
  answerTask ??= load("answer-worker-task");
  return (await answerTask).runAnswer(request);
}

/**
 * Loads both tasks (and with them the PDF engine and the answerer), so the first real request does not wait. With
 * `{ answers: true }` (the answer pool) the thread then answers the built-in warm-up questions, so that V8 has
 * compiled the answering code before people ask; replies `{ answered }`.
 */
export async function warm(request) {
  ingestTask ??= load("ingest-worker-task");
  answerTask ??= load("answer-worker-task");
  const [, answering] = await Promise.all([ingestTask, answerTask]);
  if (request?.answers === true) return { answered: await answering.warmUpThread() };
  return true;
}

export default ingest;
