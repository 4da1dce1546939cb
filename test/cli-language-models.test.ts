/**
 * End-to-end: the real CLI with a language model and embeddings configured by environment, each served by a
 * loopback server speaking its provider's protocol. Checks the --json schema in "llm" mode, streaming, the
 * offline fallback, hybrid retrieval after `hearth embed`, the request log, and that the API key is never printed
 * or stored.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const apiKey = "sk-cli-SECRET-abcdef1234567890";
const strategy = [
  "Northshire Placement Strategy",
  "The weekly cost of an in-house residential placement is £2,278 per week.",
  "The council plans to open two new children's homes by 2026 to reduce placements at a distance.",
  "Recruitment and retention of residential staff remains the main workforce pressure.",
].join("\n\n");

function numberOf(user: string, needle: string): number {
  for (const match of user.matchAll(/^\[(\d+)\] File: [^\n]*\n([\s\S]*?)(?=\n\n\[\d+\] File:|\nPASSAGES>>>)/gm)) {
    if (match[2]!.includes(needle)) return Number(match[1]);
  }
  return 99;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("hearth with a language model and embeddings", () => {
  const data = temporaryDirectory();
  const documents = temporaryDirectory("hearth-docs-");
  let chat: FakeModelServer;
  let ollama: FakeModelServer;
  let env: NodeJS.ProcessEnv;
  let ingestOutput = "";

  beforeAll(async () => {
    chat = await startFakeModelServer("openai");
    ollama = await startFakeModelServer("ollama");
    chat.respond = ({ user }) => `The weekly cost of an in-house residential placement is £2,278 per week [${numberOf(user, "£2,278")}].`;
    env = {
      HEARTH_LLM_PROVIDER: "openai",
      HEARTH_LLM_BASE_URL: chat.url,
      HEARTH_LLM_MODEL: "llama3.1:8b",
      HEARTH_LLM_API_KEY: apiKey,
      HEARTH_LLM_MAX_RETRIES: "0",
      HEARTH_EMBEDDINGS_PROVIDER: "ollama",
      HEARTH_EMBEDDINGS_BASE_URL: ollama.url,
      HEARTH_EMBEDDINGS_MODEL: "nomic-embed-text",
    };
    writeFileSync(join(documents, "Northshire Placement Strategy.md"), strategy);
    const ingest = await runHearth(["ingest", documents], { data, env });
    expect(ingest.code).toBe(0);
    ingestOutput = ingest.stdout;
  }, 120_000);

  afterAll(async () => {
    await chat.close();
    await ollama.close();
  });

  beforeEach(() => {
    chat.script.length = 0;
    chat.requests.length = 0;
    ollama.requests.length = 0;
  });

  it("ingest embeds new passages, and hearth embed only what lacks a vector", async () => {
    const embeddedAtIngest = Number(/^embedded {2}(\d+) new passages? with ollama:nomic-embed-text$/m.exec(ingestOutput)?.[1]);
    expect(embeddedAtIngest).toBeGreaterThan(0);
    const first = await runHearth(["embed", "--json"], { data, env });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as { model: string; embedded: number; total: number };
    expect(summary.model).toBe("ollama:nomic-embed-text");
    expect(summary.embedded).toBe(0);
    expect(summary.total).toBe(embeddedAtIngest);

    // A new document: only its passages are embedded.
    writeFileSync(join(documents, "Addendum.md"), "# Addendum\n\nThe new solo home in Northshire opens in May with one bed.\n");
    const added = await runHearth(["ingest", documents], { data, env });
    expect(added.stdout).toMatch(/^embedded {2}1 new passage with ollama:nomic-embed-text$/m);
    const again = JSON.parse((await runHearth(["embed", "--json"], { data, env })).stdout) as { embedded: number; total: number };
    expect(again.embedded).toBe(0);
    expect(again.total).toBe(embeddedAtIngest + 1);
  });

  it("hearth ask --json keeps the schema with mode llm, and uses hybrid retrieval", async () => {
    const run = await runHearth(["ask", "--json", "--session", "board", "What is the weekly cost of an in-house residential placement?"], { data, env });
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as { answer: string; mode: string; citations: Record<string, unknown>[] };
    expect(Object.keys(parsed).slice(0, 6)).toEqual(["question", "answer", "citations", "mode", "gaps", "notes"]);
    expect(parsed.mode).toBe("llm");
    expect(parsed.answer).toMatch(/£2,278 per week \[\d+\]\.$/);
    expect(Object.keys(parsed.citations[0]!)).toEqual(["n", "file", "page", "section", "quote"]);
    expect(parsed.citations[0]).toMatchObject({ file: "Northshire Placement Strategy.md" });
    expect(String(parsed.citations[0]!.quote)).toContain("£2,278");
    // The question was embedded for the vector half of hybrid retrieval.
    expect(ollama.requests.some((request) => JSON.stringify(request.body.input).includes("weekly cost"))).toBe(true);
  });

  it("--stream prints the draft as it arrives, then the checked answer", async () => {
    const run = await runHearth(["ask", "--stream", "What is the weekly cost of an in-house residential placement?"], { data, env });
    expect(run.code).toBe(0);
    expect(chat.requests[0]!.body.stream).toBe(true);
    expect(run.stdout).toMatch(/^--- the model's draft, checking… ---\n\nThe weekly cost .*£2,278 per week \[\d+\]\.\n\n--- checked against the library ---\n\nThe weekly cost/s);
    expect(run.stdout).toMatch(/Sources:\n {2}\[\d+\] Northshire Placement Strategy\.md/);
  });

  it("falls back to the extractive answer when the model fails, and says so", async () => {
    chat.script.push({ kind: "status", status: 500 });
    const run = await runHearth(["ask", "--json", "What is the weekly cost of an in-house residential placement?"], { data, env });
    const parsed = JSON.parse(run.stdout) as { answer: string; mode: string; notes: string[] };
    expect(parsed.mode).toBe("extractive");
    expect(parsed.notes[0]).toMatch(/^The language model at http:\/\/127\.0\.0\.1:\d+\/v1 failed \(500: scripted failure 500\)\. This answer was composed/);
  });

  it("refuses photos for a model that does not accept images, with a clear message", async () => {
    const photo = join(documents, "..", `bedroom-${Date.now()}.png`);
    writeFileSync(photo, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"));
    const run = await runHearth(["ask", "--image", photo, "--", "Is this bedroom suitable?"], { data, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hearth: The language model openai:llama3\.1:8b does not accept images/);
  });

  it("models show and models test never print the key; a refused key fails with a clear message", async () => {
    const show = await runHearth(["models", "show"], { data, env });
    expect(show.stdout).toMatch(/Language model: openai \(llama3\.1:8b\) at http:\/\/127\.0\.0\.1:\d+\/v1\n {2}API key: set; on this machine; redaction off/);
    chat.script.push({ kind: "status", status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${apiKey}` } }) });
    const test = await runHearth(["models", "test"], { data, env });
    expect(test.code).toBe(1);
    expect(test.stdout).toContain(`FAIL language model: The language model at ${chat.url} refused the API key (401). Check HEARTH_LLM_API_KEY.`);
    expect(test.stdout).toMatch(/ok {3}embeddings: ollama:nomic-embed-text returned a vector of 32 numbers/);
    for (const output of [show.stdout, show.stderr, test.stdout, test.stderr]) expect(output).not.toContain("SECRET");
  });

  it("drafts a template with the model, checked against the quotes; --no-model drafts offline", async () => {
    const respond = chat.respond;
    chat.respond = ({ user }) => {
      const quotes = user.slice(user.indexOf("<<<PASSAGES"));
      const first = /^\[1\] File: [^\n]*\n([^\n]*)/m.exec(quotes)?.[1] ?? "nothing";
      return `### Challenges\n- The strategy puts it plainly: ${first} [1]\n- Demand will double by 2030 [1].`;
    };
    try {
      const drafted = await runHearth(["draft", "landscape-analysis", "--json"], { data, env });
      expect(drafted.code, drafted.stderr).toBe(0);
      const written = JSON.parse(drafted.stdout) as { mode: string; answer: string; citations: { n: number; file: string; quote: string }[] };
      expect(written.mode, written.answer).toBe("llm");
      expect(written.answer).toMatch(/^Template: Landscape analysis of children's residential care \(landscape-analysis, version 1\), drafted [^\n]+\n\n### Challenges\n- The strategy puts it plainly: .+ \[1\]\./);
      expect(written.answer).not.toContain("2030");
      expect(written.citations[0]?.file).toBe("Northshire Placement Strategy.md");
      expect(chat.requests).toHaveLength(1);

      const offline = await runHearth(["draft", "landscape-analysis", "--json", "--no-model"], { data, env });
      expect(offline.code, offline.stderr).toBe(0);
      expect((JSON.parse(offline.stdout) as { mode: string }).mode).toBe("extractive");
      expect(chat.requests).toHaveLength(1);
    } finally {
      chat.respond = respond;
    }
  });

  it("logs every request (no content, no key) and stores the key nowhere, reports included", async () => {
    const report = await runHearth(["report", "board"], { data, env });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("£2,278");
    const lines = readFileSync(join(data, "requests.log"), "utf8").trim().split("\n");
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.some((record) => record.kind === "chat" && record.model === "llama3.1:8b")).toBe(true);
    expect(records.some((record) => record.kind === "embeddings" && record.provider === "ollama")).toBe(true);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(["bytesReceived", "bytesSent", "durationMs", "host", "kind", "local", "model", "outcome", "provider", "requests", "status", "time"]);
    }
    const everything = [report.stdout, ...filesUnder(data).map((path) => readFileSync(path).toString("latin1"))].join("\n");
    expect(everything).not.toContain("SECRET-abcdef");
    expect(everything).not.toContain(apiKey);
  });
});
