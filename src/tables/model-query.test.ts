/**
 * A language model proposing the table query, against a loopback server speaking the OpenAI chat protocol with
 * realistic replies: a valid query runs (and is said to be the model's), anything else (SQL, an unknown column or
 * value, another table, prose) is refused and never run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import { createOpenAICompatible } from "../providers/openai-compatible.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import type { FakeModelServer } from "../providers/testing/fake-model-server.ts";
import type { SqliteStore } from "../store/sqlite-store.ts";
import { answerFromTables } from "./table-answerer.ts";

const csv = [
  "Homes at 31 March 2025,,,",
  "Provision type,Local authority,Sector,Places",
  ...Array.from({ length: 30 }, (_, index) => `Children's home,${["Somerset", "Devon", "Cornwall"][index % 3]},${index % 4 === 0 ? "Local Authority" : "Private"},${(index % 5) + 1}`),
].join("\n");
const devonHomes = Array.from({ length: 30 }, (_, index) => index).filter((index) => index % 3 === 1).length;

describe("a model's proposed table query", () => {
  let library: SmallLibrary;
  let store: SqliteStore;
  let server: FakeModelServer;
  let tableId: number;

  beforeAll(async () => {
    library = await ingestSmallLibrary({ "homes.csv": csv }, { prefix: "hearth-model-query-" });
    store = library.store;
    tableId = (await store.tables.list())[0]?.id ?? -1;
    server = await startFakeModelServer("openai");
  });

  afterAll(async () => {
    await library.close();
    await server.close();
  });

  const model = () => createOpenAICompatible({ baseURL: server.url, model: "test-model", maxRetries: 0, timeoutMs: 5_000 });
  // Nothing in the table says "settings" or "operate": the offline builder leaves this question alone.
  const question = "How many care settings does Devon operate?";

  it("runs a valid proposal, computed from the table, and says the model proposed it", async () => {
    server.script.push({
      kind: "reply",
      text: JSON.stringify({ tableId, filters: [{ column: "Local authority", values: ["Devon"] }], measure: { kind: "count" } }),
    });
    const answer = await answerFromTables(store, question, model());
    expect(answer?.answer).toContain(`lists ${devonHomes} rows where Local authority is "Devon"`);
    expect(answer?.answer).toContain("proposed by the language model and checked against the table");
    expect(answer?.citations[0]?.table?.rowCount).toBe(devonHomes);
    const request = server.requests.at(-1);
    const messages = request?.body.messages as { role: string; content: string }[];
    expect(messages[0]?.content).toContain("Never write SQL");
    expect(messages.at(-1)?.content).toContain('"Local authority" (category; values: "Somerset", "Devon", "Cornwall")');
    expect(messages.at(-1)?.content).toContain("<<<QUESTION\nHow many care settings does Devon operate?\nQUESTION>>>");
  });

  it("refuses SQL, unknown columns and values, other tables and prose, and runs none of them", async () => {
    const replies = [
      "SELECT count(*) FROM providers WHERE la = 'Devon'; DROP TABLE data_tables;",
      JSON.stringify({ tableId, filters: [{ column: "Bed occupancy", values: ["Devon"] }], measure: { kind: "count" } }),
      JSON.stringify({ tableId, filters: [{ column: "Local authority", values: ["Devonshire"] }], measure: { kind: "count" } }),
      JSON.stringify({ tableId, filters: [], measure: { kind: "sum", column: "Sector" } }),
      JSON.stringify({ tableId: tableId + 100, measure: { kind: "count" } }),
      "There are probably about ten homes in Devon.",
      JSON.stringify({ none: true }),
    ];
    for (const text of replies) {
      server.script.push({ kind: "reply", text });
      const rejected: string[] = [];
      expect(await answerFromTables(store, question, model(), { onRejected: (reason) => rejected.push(reason) })).toBeNull();
      if (text.includes('"none"')) expect(rejected).toEqual([]);
      else expect(rejected.length).toBe(1);
    }
    expect(await store.tables.list()).toHaveLength(1);
  });

  it("asks no model for a question the offline builder answers, nor for one that asks no figure", async () => {
    const before = server.requests.length;
    expect((await answerFromTables(store, "How many children's homes are in Cornwall?", model()))?.answer).toContain("lists 10 rows");
    expect(await answerFromTables(store, "Who inspects children's homes?", model())).toBeNull();
    expect(server.requests.length).toBe(before);
  });
});
