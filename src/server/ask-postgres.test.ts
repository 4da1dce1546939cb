/**
 * hearth serve on PostgreSQL: an extractive answer, computed in the server's answer threads, reads the workspace's
 * rows in PostgreSQL (where the upload put them), not an empty SQLite file in the workspace's folder.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { createTestDatabase, withoutPostgres } from "../../test/support/postgres.ts";
import type { TestDatabase } from "../../test/support/postgres.ts";
import { ApiClient, readEvents, startTestServer, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";

describe.skipIf(withoutPostgres() || withoutCorpus())("hearth serve on PostgreSQL: asking", () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: ApiClient;
  let workspaceId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer((config) => ({ ...config, storeUrl: database.url, llm: { ...config.llm, provider: "extractive" } }));
    admin = new ApiClient(server.url);
    ({ workspaceId } = await admin.setup({ name: "Ann", email: "ann@example.org", password: testPassword, workspaceName: "Homes" }));
    const { events } = await admin.uploadAndWait(workspaceId, [{ name: nottinghamshire, bytes: readFileSync(corpusPath(`library/${nottinghamshire}`)) }]);
    expect(events.at(-1)?.data).toMatchObject({ ingested: 1 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("answers from the uploaded document, cited to its page", async () => {
    const question = "What percentage of Nottinghamshire's children are in unrelated foster care?";
    const response = await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question } });
    expect(response.status).toBe(200);
    const final = (await readEvents(response)).at(-1);
    expect(final?.event).toBe("answer");
    const answer = final?.data as { answer: string; refused: boolean; citations: { file: string; page: number | null }[] };
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("55.2%");
    expect(answer.citations[0]).toMatchObject({ file: nottinghamshire, page: 4 });
  });
});
