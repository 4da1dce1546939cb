import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { ApiClient, readEvents, startServerWithAdmin, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const briefing = "Somerset Homes and Horizons Members Briefing.md";

let server: TestServer;
let ann: ApiClient;
let annWorkspace: string;
let documentId: number;

beforeAll(async () => {
  ({ server, admin: ann, workspaceId: annWorkspace } = await startServerWithAdmin(undefined, { workspaceName: "Ann's homes" }));
  await ann.uploadAndWait(annWorkspace, [{ name: briefing, bytes: readFileSync(corpusPath(`formats/${briefing}`)) }]);
  const ask = await ann.request("POST", `/api/workspaces/${annWorkspace}/ask`, { json: { question: "What is Homes and Horizons?", session: "Board prep" } });
  await readEvents(ask);
  const documents = await ann.call<{ documents: { id: number }[] }>("GET", `/api/workspaces/${annWorkspace}/documents`);
  documentId = documents.body.documents[0]?.id ?? 0;
  for (const [email, role] of [
    ["vic@example.org", "viewer"],
    ["eddie@example.org", "editor"],
  ] as const) {
    const added = await ann.call("POST", `/api/workspaces/${annWorkspace}/members`, { json: { email, name: email, role, password: testPassword } });
    expect(added.status).toBe(201);
  }
  // Bea has an account (added to her own workspace by Ann's admin action elsewhere) but is not in Ann's.
  const other = await ann.call<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: "Scratch" } });
  await ann.call("POST", `/api/workspaces/${other.body.workspace.id}/members`, {
    json: { email: "bea@example.org", name: "Bea", role: "admin", password: testPassword },
  });
});
afterAll(() => server.close());

async function signedIn(email: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect(await client.signIn(email, testPassword)).toBe(200);
  return client;
}

describe.skipIf(withoutCorpus())("hearth serve: roles and workspace isolation", () => {
  it("lets a viewer read and ask but not upload, delete, re-ingest or manage (403)", async () => {
    const vic = await signedIn("vic@example.org");
    expect((await vic.call("GET", "/api/workspaces")).body).toEqual({ workspaces: [{ id: annWorkspace, name: "Ann's homes", role: "viewer" }] });
    expect((await vic.call("GET", `/api/workspaces/${annWorkspace}/documents`)).status).toBe(200);
    expect((await vic.call("GET", `/api/workspaces/${annWorkspace}/sessions`)).status).toBe(200);
    const ask = await vic.request("POST", `/api/workspaces/${annWorkspace}/ask`, { json: { question: "What is Homes and Horizons?" } });
    expect(ask.status).toBe(200);
    expect((await readEvents(ask)).at(-1)?.event).toBe("answer");

    const upload = await vic.upload(annWorkspace, [{ name: "x.md", bytes: Buffer.from("# Notes\n\nSome text.\n") }]);
    expect(upload.status).toBe(403);
    expect(upload.body.error).toMatch(/editor role/);
    expect((await vic.call("DELETE", `/api/workspaces/${annWorkspace}/documents/${documentId}`)).status).toBe(403);
    expect((await vic.call("POST", `/api/workspaces/${annWorkspace}/documents/${documentId}/reingest`)).status).toBe(403);
    expect((await vic.call("GET", `/api/workspaces/${annWorkspace}/members`)).status).toBe(403);
    expect((await vic.call("GET", `/api/workspaces/${annWorkspace}/audit`)).status).toBe(403);
    expect((await vic.call("PUT", `/api/workspaces/${annWorkspace}/settings`, { json: { profile: { name: "x" } } })).status).toBe(403);
    const documents = await vic.call<{ documents: unknown[] }>("GET", `/api/workspaces/${annWorkspace}/documents`);
    expect(documents.body.documents).toHaveLength(1);
  });

  it("lets an editor upload but not manage members", async () => {
    const eddie = await signedIn("eddie@example.org");
    const { events } = await eddie.uploadAndWait(annWorkspace, [{ name: "notes.md", bytes: Buffer.from("# Notes\n\nThe panel meets monthly.\n") }]);
    expect(events.at(-1)).toEqual({ event: "done", data: { ingested: 1, unchanged: 0, failed: 0 } });
    const members = await eddie.call<{ error: string }>("GET", `/api/workspaces/${annWorkspace}/members`);
    expect(members.status).toBe(403);
    expect(members.body.error).toBe("This needs the admin role in this workspace; you are an editor");
    expect((await eddie.call("PATCH", `/api/workspaces/${annWorkspace}/members/x`, { json: { role: "admin" } })).status).toBe(403);
  });

  it("answers 404 to a user who is not a member, for the workspace and everything in it", async () => {
    const bea = await signedIn("bea@example.org");
    const visible = await bea.call<{ workspaces: { id: string }[] }>("GET", "/api/workspaces");
    expect(visible.body.workspaces.map((workspace) => workspace.id)).not.toContain(annWorkspace);
    const base = `/api/workspaces/${annWorkspace}`;
    const attempts: [string, string, object?][] = [
      ["GET", base],
      ["GET", `${base}/documents`],
      ["GET", `${base}/documents/${documentId}/units`],
      ["GET", `${base}/documents/${documentId}/file`],
      ["DELETE", `${base}/documents/${documentId}`],
      ["GET", `${base}/sessions`],
      ["GET", `${base}/sessions/Board%20prep`],
      ["GET", `${base}/sessions/Board%20prep/export?format=md`],
      ["POST", `${base}/ask`, { question: "What is Homes and Horizons?" }],
      ["GET", `${base}/members`],
      ["POST", `${base}/members`, { email: "bea@example.org", role: "admin" }],
      ["GET", `${base}/settings`],
      ["GET", `${base}/audit`],
    ];
    for (const [method, path, json] of attempts) {
      const result = await bea.call(method, path, json ? { json } : {});
      expect([method, path, result.status]).toEqual([method, path, 404]);
      expect(JSON.stringify(result.body)).not.toContain("Ann's homes");
    }
    const upload = await bea.upload(annWorkspace, [{ name: "x.md", bytes: Buffer.from("# X\n\ntext\n") }]);
    expect(upload.status).toBe(404);
    // A made-up workspace id reads the same as a real one she is not in.
    expect((await bea.call("GET", "/api/workspaces/00000000-0000-0000-0000-000000000000/documents")).status).toBe(404);
    // Ann's library is unchanged.
    const documents = await ann.call<{ documents: unknown[] }>("GET", `${base}/documents`);
    expect(documents.body.documents).toHaveLength(2);
  });

  it("manages members: change a role, keep at least one admin, remove a member", async () => {
    const members = await ann.call<{ members: { userId: string; email: string; role: string }[] }>("GET", `/api/workspaces/${annWorkspace}/members`);
    expect(members.body.members.map((member) => [member.email, member.role])).toEqual([
      ["ann@example.org", "admin"],
      ["eddie@example.org", "editor"],
      ["vic@example.org", "viewer"],
    ]);
    const annId = members.body.members.find((member) => member.email === "ann@example.org")?.userId ?? "";
    const vicId = members.body.members.find((member) => member.email === "vic@example.org")?.userId ?? "";
    expect((await ann.call("PATCH", `/api/workspaces/${annWorkspace}/members/${annId}`, { json: { role: "viewer" } })).status).toBe(409);
    expect((await ann.call("DELETE", `/api/workspaces/${annWorkspace}/members/${annId}`)).status).toBe(409);
    const promoted = await ann.call("PATCH", `/api/workspaces/${annWorkspace}/members/${vicId}`, { json: { role: "editor" } });
    expect(promoted.body).toEqual({ member: expect.objectContaining({ email: "vic@example.org", role: "editor" }) });
    const bad = await ann.call("PATCH", `/api/workspaces/${annWorkspace}/members/${vicId}`, { json: { role: "owner" } });
    expect(bad.status).toBe(400);
    const unknown = await ann.call("POST", `/api/workspaces/${annWorkspace}/members`, { json: { email: "new@example.org", role: "viewer" } });
    expect(unknown.status).toBe(400);
    expect((await ann.call("DELETE", `/api/workspaces/${annWorkspace}/members/${vicId}`)).status).toBe(204);
    const vic = await signedIn("vic@example.org");
    expect((await vic.call("GET", `/api/workspaces/${annWorkspace}/documents`)).status).toBe(404);
  });
});
