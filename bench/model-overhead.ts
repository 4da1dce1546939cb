/**
 * `npm run bench` (part): the time Hearth adds around a language model, against a loopback OpenAI-compatible
 * server over library/ + real/ of the shared corpus. Before the first token: question to request received by the
 * model (follow-up resolution, retrieval, prompt, request). After the last token: last streamed piece to the checked
 * answer (the reply check, repair, quotes verified on their pages, out-of-date notes). The model's replies are
 * written from each prompt the way a model writes: a sentence from each of four passages, a derived figure, an
 * invented sentence, a gap line. Goals: p95 under 150 ms before the first token, under 100 ms after the last.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAnswerer } from "../src/answer/create-answerer.ts";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { startFakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { withSourceAuthority } from "../src/authority/source-authority.ts";
import { createSearcher } from "../src/retrieval/search.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { percentile } from "./statistics.ts";

const repositoryRoot = new URL("..", import.meta.url).pathname;
const shared = process.env.HEARTH_SHARED_DIR ?? join(repositoryRoot, "..", "shared");
const corpus = (relative: string): string => join(shared, "corpus", relative);
const rounds = Number(process.env.HEARTH_BENCH_ROUNDS ?? 3);

/** A reply written from the prompt: cited sentences from the passages, one invented, a gap line. */
function replyFor(user: string): string {
  const passages = [...user.matchAll(/^\[(\d+)\] File: [^\n]*\n([\s\S]*?)(?=\n\n\[\d+\] File:|\nPASSAGES>>>)/gm)].map((match) => ({ n: Number(match[1]), text: match[2]! }));
  const sentences = passages.slice(0, 4).map(({ n, text }) => {
    const sentence = (text.replace(/\s+/g, " ").match(/[^.!?]{30,240}[.!?]/)?.[0] ?? text.slice(0, 160)).trim().replace(/[.!?]?$/, "");
    return `${sentence} [${n}].`;
  });
  return [
    "Here is what the library says.",
    "",
    ...sentences.map((sentence) => `- ${sentence}`),
    "",
    `The council has promised to double its budget for residential care next year [${passages[0]?.n ?? 1}].`,
    "",
    "Not in the library: the passages do not give next year's figures.",
  ].join("\n");
}

const workDir = mkdtempSync(join(tmpdir(), "hearth-bench-model-"));
const loaded = loadConfig({ ...process.env, HEARTH_OCR: "off" }, { dataDir: workDir });
if (!loaded.ok) throw loaded.error;
const model = await startFakeModelServer("openai");
model.respond = ({ user }) => replyFor(user);
const config = { ...loaded.value, llm: { ...loaded.value.llm, provider: "openai" as const, baseUrl: model.url, model: "bench-model", maxRetries: 0 } };
const store = openSqliteStore({ dataDir: workDir });
await ingestPaths([corpus("library"), corpus("real")], { store, config });
const service = createAnswerer({ store, config, onRequest: () => undefined });
if (!service.ok) throw service.error;

const questions = [
  ...(JSON.parse(readFileSync(corpus("dev-questions.json"), "utf8")) as { question: string }[]).map((entry) => entry.question),
  ...(JSON.parse(readFileSync(join(repositoryRoot, "bench", "tuning-questions.json"), "utf8")) as { question: string }[]).map((entry) => entry.question),
];
const before: number[] = [];
const after: number[] = [];
await service.value.answer("What is the weekly cost of residential care?", { onToken: () => undefined }); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [index, question] of questions.entries()) {
    model.requests.length = 0;
    // Every other question is a follow-up with the previous exchange as history.
    const history = index % 2 === 1 ? [{ question: questions[index - 1]!, answer: "The library says so [1]." }] : [];
    let lastToken = 0;
    const started = performance.now();
    const answered = await service.value.answer(question, { history, onToken: () => (lastToken = performance.now()) });
    const done = performance.now();
    if (!answered.ok) throw answered.error;
    const request = model.requests[0];
    if (!request || answered.value.mode !== "llm") continue; // refused before the model (no passages)
    before.push(request.receivedAt - started);
    after.push(done - lastToken);
  }
}
// Retrieval alone (the same search the answerer runs), to see how much of the time before the first token it is.
const searcher = withSourceAuthority(createSearcher(store), store);
const retrieval: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const question of questions) {
    const started = performance.now();
    await searcher.search(question, { limit: 8, perPage: 2 });
    retrieval.push(performance.now() - started);
  }
}
await store.close();
await model.close();

const lines = [
  `## Time Hearth adds around a language model (loopback model, library/ + real/, ${before.length} answers over ${questions.length} questions)`,
  "",
  `Before the first token (resolve, retrieve, prompt, send): p50 ${percentile(before, 0.5).toFixed(1)} ms, p95 ${percentile(before, 0.95).toFixed(1)} ms, max ${Math.max(...before).toFixed(1)} ms (goal: p95 under 150 ms)`,
  `  of which retrieval alone (search, limit 8): p50 ${percentile(retrieval, 0.5).toFixed(1)} ms, p95 ${percentile(retrieval, 0.95).toFixed(1)} ms`,
  `After the last token (check, repair, quotes, notes): p50 ${percentile(after, 0.5).toFixed(1)} ms, p95 ${percentile(after, 0.95).toFixed(1)} ms, max ${Math.max(...after).toFixed(1)} ms (goal: p95 under 100 ms)`,
  "",
];
console.log(lines.join("\n"));
mkdirSync(join(repositoryRoot, "bench", "out"), { recursive: true });
writeFileSync(join(repositoryRoot, "bench", "out", "model-overhead.md"), `${lines.join("\n")}\n`);
