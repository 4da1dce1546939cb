/** The rows behind a computed figure over HTTP: an answer's table citation, its rows recomputed, a CSV download. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, readEvents, startServerWithAdmin, testPassword } from "./test-support.ts";
import type { TestServer } from "./test-support.ts";

const csv = [
  "Homes at 31 March 2025,,,",
  "Provision type,Local authority,Sector,Places",
  ...Array.from({ length: 30 }, (_, index) => `Children's home,${["Somerset", "Devon", "North Somerset"][index % 3]},${index % 4 === 0 ? "Local Authority" : "Private"},${(index % 5) + 1}`),
].join("\n");

let server: TestServer;
let admin: ApiClient;
let outsider: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  ({ server, admin, workspaceId } = await startServerWithAdmin());
  const { events } = await admin.uploadAndWait(workspaceId, [{ name: "homes.csv", bytes: new TextEncoder().encode(csv) }]);
  expect(events.at(-1)).toMatchObject({ event: "done", data: { ingested: 1 } });
  const other = await admin.call<{ workspace: { id: string } }>("POST", "/api/workspaces", { json: { name: "Elsewhere" } });
  await admin.call("POST", `/api/workspaces/${other.body.workspace.id}/members`, { json: { email: "bea@example.org", name: "Bea", role: "admin", password: testPassword } });
  outsider = new ApiClient(server.url);
  expect(await outsider.signIn("bea@example.org", testPassword)).toBe(200);
}, 60_000);
afterAll(() => server.close());

describe("table rows over HTTP", () => {
  it("answers a data-set question with a table citation whose rows open as JSON and CSV", async () => {
    const events = await readEvents(await admin.request("POST", `/api/workspaces/${workspaceId}/ask`, { json: { question: "How many children's homes are there in Somerset?" } }));
    const answer = events.find((event) => event.event === "answer")?.data as { answer: string; citations: { table?: { tableId: number; query: Record<string, unknown>; rowCount: number } }[] };
    expect(answer.answer).toContain("lists 10 rows");
    const table = answer.citations[0]?.table;
    expect(table?.rowCount).toBe(10);
    const path = `/api/workspaces/${workspaceId}/tables/${table?.tableId}/rows?query=${encodeURIComponent(JSON.stringify(table?.query))}`;
    const rows = await admin.call<{ total: number; rows: string[][]; filters: string }>("GET", path);
    expect(rows.status).toBe(200);
    expect(rows.body.total).toBe(10);
    expect(rows.body.rows.every((row) => row[1] === "Somerset")).toBe(true);
    expect(rows.body.filters).toContain('Local authority is "Somerset"');
    const download = await admin.request("GET", path.replace("/rows?", "/rows.csv?"));
    expect(download.headers.get("content-type")).toContain("text/csv");
    expect(download.headers.get("content-disposition")).toContain("homes - rows.csv");
    expect((await download.text()).trimEnd().split("\r\n")).toHaveLength(11);
    // Another workspace's member cannot read them; a query that does not fit the table is refused by name.
    expect((await outsider.call("GET", path)).status).toBe(404);
    const bad = await admin.call<{ error: string }>("GET", `/api/workspaces/${workspaceId}/tables/${table?.tableId}/rows?query=${encodeURIComponent(JSON.stringify({ ...table?.query, measure: { kind: "sum", column: "Beds" } }))}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('no column "Beds"');
    expect((await admin.call("GET", `/api/workspaces/${workspaceId}/tables/999999/rows?query=${encodeURIComponent(JSON.stringify(table?.query))}`)).status).toBe(404);
  });
});
