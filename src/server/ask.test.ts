import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { answerPieces } from "./ask.ts";
import { ApiClient, readEvents, startTestServer, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const question = "What percentage of Nottinghamshire's children are in unrelated foster care?";

let server: TestServer;
let admin: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  // The loopback test model is allowed explicitly, as an admin allows Ollama on the same machine.
  server = await startTestServer((config) => ({ ...config, server: { ...config.server, allowedModelHosts: ["127.0.0.1"] } }));
  admin = new ApiClient(server.url);
  ({ workspaceId } = await admin.setup({ name: "Ann", email: "ann@example.org", password: testPassword, workspaceName: "Homes" }));
  await admin.uploadAndWait(workspaceId, [{ name: nottinghamshire, bytes: readFileSync(corpusPath(`library/${nottinghamshire}`)) }]);
});
afterAll(() => server.close());

interface AnswerData {
  question: string;
  answer: string;
  citations: { n: number; file: string; page: number | null; section: string | null; quote: string; documentId: number | null }[];
  mode: string;
}

describe.skipIf(withoutCorpus())("hearth serve: asking, sessions, exports, audit", () => {
  it("splits answer text into pieces that join back to it exactly", () => {
    const text = "Of our 953 children 55.2% are in foster care. [1]\n\nSupporting points:\n- Most are in Ashfield. [2]";
    const pieces = answerPieces(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    expect(pieces[0]).toBe("Of our 953 children 55.2% are in foster care. ");
  });

  it("streams tokens, then the answer with citations carrying document ids, and keeps it in the session", async () => {
    const response = await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question, session: "Board prep" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = await readEvents(response);
    const tokens = events.filter((event) => event.event === "token");
    expect(tokens.length).toBeGreaterThan(1);
    const final = events.at(-1);
    expect(final?.event).toBe("answer");
    const answer = final?.data as AnswerData;
    expect(tokens.map((event) => (event.data as { text: string }).text).join("")).toBe(answer.answer);
    expect(answer.answer).toContain("55.2%");
    expect(answer.mode).toBe("extractive");
    const documents = await admin.call<{ documents: { id: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    expect(answer.citations[0]).toMatchObject({ n: 1, file: nottinghamshire, page: 4, documentId: documents.body.documents[0]?.id });

    const sessions = await admin.call<{ sessions: { name: string; exchangeCount: number }[] }>("GET", `/api/workspaces/${workspaceId}/sessions`);
    expect(sessions.body.sessions).toEqual([expect.objectContaining({ name: "Board prep", exchangeCount: 1, createdAt: expect.any(String), updatedAt: expect.any(String) })]);
    const session = await admin.call<{ name: string; exchanges: { askedAt: string; answer: { question: string } }[] }>(
      "GET",
      `/api/workspaces/${workspaceId}/sessions/${encodeURIComponent("Board prep")}`,
    );
    expect(session.body.exchanges.map((exchange) => exchange.answer.question)).toEqual([question]);
    expect((await admin.call("GET", `/api/workspaces/${workspaceId}/sessions/nope`)).status).toBe(404);
  });

  it("streams a language model's tokens when the workspace configures one, and cites the page it used", async () => {
    const model = await startFakeModelServer("openai");
    try {
      model.respond = ({ user }) => {
        // The number of the passage that holds the figure, as the model would read it.
        const passages = [...user.matchAll(/^\[(\d+)\] File: [^\n]*\n([\s\S]*?)(?=\n\n\[\d+\] File:|\nPASSAGES>>>)/gm)];
        const number = passages.find((match) => match[2]?.includes("55.2%"))?.[1] ?? "99";
        return `Of our 953 children (at July 31st 2022) 55.2% are in unrelated foster care [${number}].`;
      };
      const settings = `/api/workspaces/${workspaceId}/settings`;
      const saved = await admin.call("PUT", settings, { json: { provider: { provider: "openai", baseUrl: model.url, model: "test-model" } } });
      expect(saved.status).toBe(200);
      const events = await readEvents(await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } }));
      expect(model.requests).toHaveLength(1);
      expect(events.filter((event) => event.event === "token").length).toBeGreaterThan(0);
      const final = events.at(-1);
      expect(final?.event).toBe("answer");
      const answer = final?.data as AnswerData;
      expect(answer.mode).toBe("llm");
      expect(answer.answer).toContain("55.2%");
      expect(answer.citations[0]).toMatchObject({ file: nottinghamshire, page: 4 });
      expect(answer.citations[0]?.quote).toContain("55.2%");
    } finally {
      await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, { json: { provider: { provider: "extractive" } } });
      await model.close();
    }
  });

  it("refuses an empty question with 400", async () => {
    const result = await admin.call("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "  " } });
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: expect.stringContaining("question") });
  });

  it("exports a session as md, docx and pdf attachments", async () => {
    const base = `/api/workspaces/${workspaceId}/sessions/${encodeURIComponent("Board prep")}/export`;
    const markdown = await admin.request("GET", `${base}?format=md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get("content-disposition")).toContain('filename="Board prep.md"');
    expect(await markdown.text()).toContain("55.2%");
    const docx = await admin.request("GET", `${base}?format=docx`);
    expect(docx.headers.get("content-disposition")).toContain('filename="Board prep.docx"');
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
    const pdf = await admin.request("GET", `${base}?format=pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    expect((await admin.call("GET", `${base}?format=rtf`)).status).toBe(400);
  });

  it("keeps settings per workspace and never returns the API key", async () => {
    const base = `/api/workspaces/${workspaceId}/settings`;
    const initial = await admin.call<{ profile: object; provider: { provider: string; hasApiKey: boolean } }>("GET", base);
    expect(initial.body).toEqual({ profile: {}, provider: { provider: "extractive", baseUrl: null, model: null, hasApiKey: false } });
    const saved = await admin.call("PUT", base, {
      json: {
        profile: { name: "Oak Homes", locations: ["Oak House", "Elm House"] },
        provider: { provider: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "llama3.1:8b", apiKey: "sk-secret-value" },
      },
    });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain("sk-secret-value");
    const read = await admin.call("GET", base);
    expect(read.body).toEqual({
      profile: { name: "Oak Homes", locations: ["Oak House", "Elm House"] },
      provider: { provider: "openai", baseUrl: "http://127.0.0.1:9/v1", model: "llama3.1:8b", hasApiKey: true },
    });
    const test = await admin.call<{ ok: boolean; message: string }>("POST", `${base}/test-provider`);
    expect(test.body.ok).toBe(false);
    // In the server's own words, never the remote reply.
    expect(test.body.message).toMatch(/cannot be reached/);
    expect(test.body.message).not.toContain("sk-secret-value");
    await admin.call("PUT", base, { json: { provider: { provider: "extractive" } } });
    expect((await admin.call<{ ok: boolean }>("POST", `${base}/test-provider`)).body.ok).toBe(true);
    expect((await admin.call("PUT", base, { json: { profile: { name: 42 } } })).status).toBe(400);
    // The fields the templates read, nothing else: an unknown field is named, not dropped in silence.
    const unknown = await admin.call<{ error: string }>("PUT", base, { json: { profile: { organisationName: "Oak Homes" } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/organisationName/);
  });

  it("lists sign-ins, uploads, deletions and questions in the audit log", async () => {
    const second = new ApiClient(server.url);
    expect(await second.signIn("ann@example.org", testPassword)).toBe(200);
    const documents = await admin.call<{ documents: { id: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    expect((await admin.call("DELETE", `/api/workspaces/${workspaceId}/documents/${documents.body.documents[0]?.id ?? 0}`)).status).toBe(204);
    const audit = await admin.call<{ events: { time: string; user: string; action: string; detail: string }[] }>("GET", `/api/workspaces/${workspaceId}/audit`);
    const actions = audit.body.events.map((event) => event.action);
    for (const action of ["sign-in", "upload", "delete", "question"]) expect(actions).toContain(action);
    expect(audit.body.events[0]).toMatchObject({ user: "ann@example.org", action: "delete", detail: nottinghamshire });
    expect(audit.body.events).toContainEqual(expect.objectContaining({ action: "upload", detail: `${nottinghamshire}: ingested` }));
    expect(audit.body.events).toContainEqual(expect.objectContaining({ action: "question", detail: question }));
  });
});
