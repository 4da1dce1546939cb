// The entry of an ingest worker thread (run by the pool in ingest-pool.ts). Plain JavaScript so that a worker can
// start under any loader: it runs the compiled task when a build sits beside it, else the TypeScript source through
// tsx's loader, registered in this thread.
import { existsSync } from "node:fs";

let task;

async function loadTask() {
  const compiled = new URL("./ingest-worker-task.js", import.meta.url);
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import("tsx/esm/api");
  register();
  return import(new URL("./ingest-worker-task.ts", import.meta.url).href);
}

export default async function ingestInWorker(request) {
  task ??= loadTask();
  return (await task).runIngest(request);
}
