import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { ApiClient, startServerWithAdmin, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const cambridgeshire = "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";
const somerset = "Somerset Homes and Horizons Members Briefing.pptx";

interface Draft {
  question: string;
  answer: string;
  citations: { n: number; file: string; page: number | null; section: string | null; quote: string; documentId: number | null }[];
  mode: string;
}

interface Comparison {
  authorities: { name: string; figures: { field: string; value: string; date: string | null; file: string; page: number | null; quote: string }[] }[];
  fields: { field: string; label: string }[];
}

let server: TestServer;
let admin: ApiClient;
let viewer: ApiClient;
let outsider: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  // The loopback test model is allowed explicitly, as an admin allows Ollama on the same machine.
  ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, server: { ...config.server, allowedModelHosts: ["127.0.0.1"] } })));
  const { events } = await admin.uploadAndWait(
    workspaceId,
    [nottinghamshire, cambridgeshire, somerset].map((name) => ({ name, bytes: readFileSync(corpusPath(`library/${name}`)) })),
  );
  expect(events.at(-1)).toMatchObject({ event: "done", data: { ingested: 3 } });
  const profile = await admin.call("PUT", `/api/workspaces/${workspaceId}/settings`, {
    json: { profile: { name: "Lumen Way Homes", signature: "Alex Morgan\nResponsible Individual" } },
  });
  expect(profile.status).toBe(200);

  const added = await admin.call("POST", `/api/workspaces/${workspaceId}/members`, {
    json: { email: "vic@example.org", name: "Vic", role: "viewer", password: testPassword },
  });
  expect(added.status).toBe(201);
  viewer = new ApiClient(server.url);
  expect(await viewer.signIn("vic@example.org", testPassword)).toBe(200);

  // Bea is a member of another workspace only.
  const other = await admin.call<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: "Elsewhere" } });
  await admin.call("POST", `/api/workspaces/${other.body.workspace.id}/members`, {
    json: { email: "bea@example.org", name: "Bea", role: "admin", password: testPassword },
  });
  outsider = new ApiClient(server.url);
  expect(await outsider.signIn("bea@example.org", testPassword)).toBe(200);
}, 60_000);
afterAll(() => server.close());

describe.skipIf(withoutCorpus())("hearth serve: the strategy toolkit", () => {
  it("lists the templates with their inputs", async () => {
    const listed = await viewer.call<{ templates: { id: string; name: string; version: number; description: string; inputs: { la: string; about: string } }[] }>(
      "GET",
      `/api/workspaces/${workspaceId}/templates`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.templates).toContainEqual(
      expect.objectContaining({ id: "la-commissioner-email", name: "Email introducing the organisation to an LA commissioner", version: 1, inputs: { la: "required", about: "optional" } }),
    );
    // Each built-in template comes with its Toolkit group and the requests that reach it from the Ask page.
    expect(listed.body.templates).toContainEqual(
      expect.objectContaining({ id: "mock-inspection-sccif", group: "Running a home", examples: expect.arrayContaining(["mock inspection for our home"]) }),
    );
    expect(listed.body.templates).toContainEqual(expect.objectContaining({ id: "staffing-training-matrix", options: ["ageRange", "beds", "specialism"] }));
  });

  it("drafts the LA commissioner email with the profile, cited to Nottinghamshire pages, into a session that exports it", async () => {
    const drafted = await admin.call<{ draft: Draft }>("POST", `/api/workspaces/${workspaceId}/drafts`, {
      json: { template: "la-commissioner-email", la: "Nottinghamshire", session: "Notts outreach" },
    });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    const { draft } = drafted.body;
    expect(draft.answer).toContain("Introducing Lumen Way Homes");
    expect(draft.answer).toContain("Alex Morgan\nResponsible Individual");
    expect(draft.answer).toMatch(/\[1\]/);
    const documents = await admin.call<{ documents: { id: number; file: string }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const nottinghamshireId = documents.body.documents.find((document) => document.file === nottinghamshire)?.id;
    expect(draft.citations.some((citation) => citation.file === nottinghamshire && citation.page !== null && citation.documentId === nottinghamshireId)).toBe(true);

    const exported = await admin.request("GET", `/api/workspaces/${workspaceId}/sessions/${encodeURIComponent("Notts outreach")}/export?format=md`);
    const markdown = await exported.text();
    expect(markdown).toContain("Alex Morgan");
    expect(markdown).toMatch(new RegExp(`- File: ${nottinghamshire.replace(/[.()]/g, "\\$&")}, Page: \\d+`));

    const audit = await admin.call<{ events: { action: string; detail: string }[] }>("GET", `/api/workspaces/${workspaceId}/audit`);
    expect(audit.body.events).toContainEqual(expect.objectContaining({ action: "draft", detail: 'la-commissioner-email for Nottinghamshire into session "Notts outreach"' }));
  });

  it("drafts with the workspace's language model when one is set, and offline when asked", async () => {
    const model = await startFakeModelServer("openai");
    model.respond = ({ user }) => {
      const quotes = user.slice(user.indexOf("<<<PASSAGES"));
      const children = /^\[(\d+)\] File: [^\n]*\n[^\n]*953/m.exec(quotes)?.[1] ?? "1";
      return `Dear Nottinghamshire commissioning team,\n\nNottinghamshire had 953 children in care on July 31st 2022 [${children}].\n\nKind regards,`;
    };
    const settings = `/api/workspaces/${workspaceId}/settings`;
    try {
      expect((await admin.call("PUT", settings, { json: { provider: { provider: "openai", baseUrl: model.url, model: "writer" } } })).status).toBe(200);
      const written = await admin.call<{ draft: Draft }>("POST", `/api/workspaces/${workspaceId}/drafts`, { json: { template: "la-commissioner-email", la: "Notts" } });
      expect(written.status).toBe(200);
      expect(written.body.draft.mode).toBe("llm");
      expect(written.body.draft.answer).toContain("Nottinghamshire had 953 children in care on July 31st 2022 [1].");
      expect(written.body.draft.answer).toContain("Kind regards,\n\nAlex Morgan\nResponsible Individual");
      expect(written.body.draft.citations).toEqual([expect.objectContaining({ n: 1, file: nottinghamshire, page: 4 })]);
      expect(model.requests).toHaveLength(1);

      const offline = await admin.call<{ draft: Draft }>("POST", `/api/workspaces/${workspaceId}/drafts`, {
        json: { template: "la-commissioner-email", la: "Notts", useModel: false },
      });
      expect(offline.body.draft.mode).toBe("extractive");
      expect(model.requests).toHaveLength(1);
    } finally {
      await admin.call("PUT", settings, { json: { provider: { provider: "extractive" } } });
      await model.close();
    }
  });

  it("refuses an unknown template and a missing required local authority, naming the reason", async () => {
    const unknown = await admin.call<{ error: string }>("POST", `/api/workspaces/${workspaceId}/drafts`, { json: { template: "press-release" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('no template called "press-release"');
    const missing = await admin.call<{ error: string }>("POST", `/api/workspaces/${workspaceId}/drafts`, { json: { template: "la-commissioner-email" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("template la-commissioner-email needs a local authority (give its name)");
  });

  it("refuses a viewer's draft (403) and answers 404 to a non-member", async () => {
    const json = { template: "la-commissioner-email", la: "Nottinghamshire" };
    const refused = await viewer.call<{ error: string }>("POST", `/api/workspaces/${workspaceId}/drafts`, { json });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("editor");
    for (const [method, path] of [
      ["POST", "drafts"],
      ["GET", "templates"],
      ["GET", "authorities"],
      ["GET", "authorities/compare.csv"],
    ] as const) {
      const result = await outsider.call(method, `/api/workspaces/${workspaceId}/${path}`, method === "POST" ? { json } : {});
      expect([method, path, result.status]).toEqual([method, path, 404]);
    }
    // Without the CSRF token even a member's draft is refused.
    expect((await admin.call("POST", `/api/workspaces/${workspaceId}/drafts`, { json, csrf: false })).status).toBe(403);
  });

  it("compares the authorities as JSON with each figure's file and page, and 'not found' for the rest", async () => {
    const result = await viewer.call<Comparison>("GET", `/api/workspaces/${workspaceId}/authorities`);
    expect(result.status).toBe(200);
    const { authorities, fields } = result.body;
    expect(authorities.map((authority) => authority.name)).toEqual(["Cambridgeshire", "Nottinghamshire", "Somerset"]);
    const figure = (name: string, field: string) => authorities.find((authority) => authority.name === name)?.figures.find((candidate) => candidate.field === field);
    expect(figure("Nottinghamshire", "children_in_care")).toMatchObject({ value: "953", file: nottinghamshire, page: 4 });
    expect(figure("Cambridgeshire", "unit_cost_in_house_residential_weekly")).toMatchObject({ value: "£2,278", file: cambridgeshire, page: 4 });
    expect(figure("Somerset", "children_in_care")).toEqual({ field: "children_in_care", value: "not found", date: null, file: "", page: null, quote: "" });
    expect(fields).toContainEqual({ field: "children_in_care", label: "Children in care", list: false });
    expect(fields).toContainEqual({ field: "planned_provision", label: "Planned provision (homes, beds, specialisms)", list: true });

    const only = await viewer.call<Comparison>("GET", `/api/workspaces/${workspaceId}/authorities?name=Notts`);
    expect(only.body.authorities.map((authority) => authority.name)).toEqual(["Nottinghamshire"]);
  });

  it("downloads the comparison as CSV and Markdown", async () => {
    const csv = await viewer.request("GET", `/api/workspaces/${workspaceId}/authorities/compare.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain('filename="local-authorities.csv"');
    const lines = (await csv.text()).split("\n");
    expect(lines[0]).toBe("authority,field,label,value,date,file,page,quote");
    expect(lines).toContainEqual(expect.stringMatching(/^Nottinghamshire,children_in_care,Children in care,953,July 31st 2022,Nottinghamshire Sufficiency and Commissioning Strategy 2023-25\.pdf,4,/));
    const markdown = await viewer.request("GET", `/api/workspaces/${workspaceId}/authorities/compare.md`);
    expect(markdown.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await markdown.text();
    expect(text.split("\n")[0]).toBe("| Figure | Cambridgeshire | Nottinghamshire | Somerset |");
    expect(text).toContain("*not found*");
  });

  it("reads and sets a document's source authority; a viewer may read but not set it", async () => {
    const documents = await admin.call<{ documents: { id: number; file: string }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const id = documents.body.documents.find((document) => document.file === somerset)?.id;
    const path = `/api/workspaces/${workspaceId}/documents/${id}/authority`;
    expect((await viewer.call("GET", path)).body).toEqual({ documentId: id, file: somerset, authority: "la_strategy", label: "LA strategy", year: null, period: null, source: "guessed" });
    expect((await viewer.call("PUT", path, { json: { authority: "research" } })).status).toBe(403);
    const bad = await admin.call<{ error: string }>("PUT", path, { json: { authority: "rumour" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^authority must be one of statute, /);
    const badDate = await admin.call<{ error: string }>("PUT", path, { json: { authority: "research", date: "soon" } });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error).toMatch(/^date must be a year/);
    const tagged = await admin.call("PUT", path, { json: { authority: "market research", date: "2022" } });
    expect(tagged.body).toEqual({ documentId: id, file: somerset, authority: "market_research", label: "market research / data", year: 2022, period: null, source: "tagged" });
    expect((await admin.call("GET", `/api/workspaces/${workspaceId}/documents/999999/authority`)).status).toBe(404);
    // The library list carries each document's authority, and the kinds to choose from.
    const listed = await viewer.call<{ documents: { file: string; authority: string; year: number | null; source: string }[]; authorityKinds: { kind: string; label: string }[] }>(
      "GET",
      `/api/workspaces/${workspaceId}/documents`,
    );
    expect(listed.body.documents.find((document) => document.file === somerset)).toMatchObject({ authority: "market_research", year: 2022, source: "tagged" });
    expect(listed.body.authorityKinds).toContainEqual({ kind: "statutory_guidance", label: "statutory guidance" });
  });
});
