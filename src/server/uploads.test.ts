import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { writeDocxZipBomb } from "../../test/support/zip-bomb.ts";
import { readEvents, startServerWithAdmin } from "./test-support.ts";
import type { ApiClient, ServerSentEvent, TestServer } from "./test-support.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const nottinghamshire = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const uploadLimit = 8 * 1024 * 1024;

let server: TestServer;
let admin: ApiClient;
let workspaceId: string;
let scratch: string;

beforeAll(async () => {
  ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, server: { ...config.server, maxUploadBytes: uploadLimit } })));
  scratch = mkdtempSync(join(tmpdir(), "hearth-upload-test-"));
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

type Progress = { file: string; status: string; error?: string; units?: number; passages?: number };
const progress = (events: ServerSentEvent[]): Progress[] => events.filter((event) => event.event === "progress").map((event) => event.data as Progress);
const finalStatus = (events: ServerSentEvent[], file: string): Progress | undefined => progress(events).filter((entry) => entry.file === file).at(-1);

/** Every file under the data folder, relative to it. */
function filesUnder(folder: string, prefix = ""): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe.skipIf(withoutCorpus())("hearth serve: uploads", () => {
  it("ingests a corpus PDF and streams progress queued → ingesting → ingested, then done", async () => {
    const bytes = readFileSync(corpusPath(`library/${nottinghamshire}`));
    const { reply, events } = await admin.uploadAndWait(workspaceId, [{ name: nottinghamshire, bytes }]);
    expect(reply.files).toEqual([{ name: nottinghamshire, status: "queued" }]);
    expect(progress(events).map((entry) => entry.status)).toEqual(["queued", "ingesting", "ingested"]);
    expect(finalStatus(events, nottinghamshire)).toMatchObject({ units: 18, passages: expect.any(Number) });
    expect(events.at(-1)).toEqual({ event: "done", data: { ingested: 1, unchanged: 0, failed: 0 } });

    const documents = await admin.call<{ documents: { id: number; file: string; format: string; units: number }[] }>(
      "GET",
      `/api/workspaces/${workspaceId}/documents`,
    );
    expect(documents.body.documents).toEqual([
      expect.objectContaining({ file: nottinghamshire, format: "pdf", units: 18, warnings: [], ingestedAt: expect.any(String) }),
    ]);

    // Events are replayed to a client that connects after the upload finished.
    const replay = await readEvents(await admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${reply.uploadId}/events`));
    expect(replay).toEqual(events);

    // The same bytes again are "unchanged", and the duplicate copy is not kept on disk.
    const again = await admin.uploadAndWait(workspaceId, [{ name: nottinghamshire, bytes }]);
    expect(finalStatus(again.events, nottinghamshire)?.status).toBe("unchanged");
    expect(filesUnder(join(server.dataDir, "workspaces", workspaceId, "files")).filter((file) => file.endsWith(".pdf"))).toHaveLength(1);
  });

  it("refuses or fails each hostile file with its reason, ingests the good one, and leaves the library otherwise untouched", async () => {
    const before = await admin.call<{ documents: { id: number; file: string; passages: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const filesBefore = filesUnder(join(server.dataDir, "workspaces", workspaceId, "files"));
    const bombPath = join(scratch, "bomb.docx");
    await writeDocxZipBomb(bombPath);
    const dataBefore = filesUnder(server.dataDir).filter((file) => !file.includes("/files/") && !file.startsWith("accounts.db") && !/hearth\.db/.test(file));

    const { reply, events } = await admin.uploadAndWait(workspaceId, [
      { name: "empty.pdf", bytes: new Uint8Array() },
      { name: "random bytes.pdf", bytes: randomBytes(64 * 1024) },
      { name: "notes.docx", bytes: Buffer.from("These are meeting notes, saved with the wrong extension.\n") },
      { name: "bomb.docx", bytes: readFileSync(bombPath) },
      { name: "too large.pdf", bytes: new Uint8Array(uploadLimit + 1024) },
      { name: "../../x.pdf", bytes: readFileSync(corpusPath("robustness/helloworld-bad.pdf")) },
      { name: "Somerset briefing.md", bytes: readFileSync(corpusPath("formats/Somerset Homes and Horizons Members Briefing.md")) },
    ]);

    expect(reply.files.find((file) => file.name === "too large.pdf")).toEqual({
      name: "too large.pdf",
      status: "refused",
      error: "too large.pdf: the file is larger than the 8 MB upload limit",
    });
    expect(reply.files.map((file) => file.name)).toContain("x.pdf");
    expect(finalStatus(events, "empty.pdf")).toMatchObject({ status: "failed", error: "empty.pdf: the file is empty" });
    expect(finalStatus(events, "random bytes.pdf")).toMatchObject({ status: "failed", error: expect.stringMatching(/^random bytes\.pdf: /) });
    expect(finalStatus(events, "notes.docx")).toMatchObject({ status: "failed", error: expect.stringMatching(/notes\.docx: named as DOCX but the content is/) });
    expect(finalStatus(events, "bomb.docx")).toMatchObject({ status: "failed", error: expect.stringMatching(/bomb\.docx: .*(inflate|compress|limit)/i) });
    expect(finalStatus(events, "too large.pdf")).toMatchObject({ status: "failed", error: expect.stringContaining("upload limit") });
    expect(finalStatus(events, "Somerset briefing.md")).toMatchObject({ status: "ingested" });
    expect(events.at(-1)?.event).toBe("done");

    // The traversal name is stored inside this upload's folder in the workspace, never above it.
    expect(existsSync(join(server.dataDir, "x.pdf"))).toBe(false);
    expect(existsSync(join(server.dataDir, "workspaces", "x.pdf"))).toBe(false);
    expect(existsSync(join(tmpdir(), "x.pdf")) && statSync(join(tmpdir(), "x.pdf")).mtimeMs > Date.now() - 60_000).toBe(false);
    const xOutcome = finalStatus(events, "x.pdf");
    expect(["ingested", "failed"]).toContain(xOutcome?.status);

    const after = await admin.call<{ documents: { id: number; file: string; passages: number }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    for (const document of before.body.documents) expect(after.body.documents).toContainEqual(document);
    const added = after.body.documents.filter((document) => !before.body.documents.some((old) => old.id === document.id)).map((d) => d.file);
    expect(added.sort()).toEqual(xOutcome?.status === "ingested" ? ["Somerset briefing.md", "x.pdf"] : ["Somerset briefing.md"]);

    // Failed files are not kept; the earlier originals are all still there; nothing new outside the workspace.
    const filesAfter = filesUnder(join(server.dataDir, "workspaces", workspaceId, "files"));
    for (const file of filesBefore) expect(filesAfter).toContain(file);
    for (const name of ["empty.pdf", "random bytes.pdf", "notes.docx", "bomb.docx", "too large.pdf"]) {
      expect(filesAfter.some((file) => file.endsWith(`/${name}`))).toBe(false);
    }
    const dataAfter = filesUnder(server.dataDir).filter((file) => !file.includes("/files/") && !file.startsWith("accounts.db") && !/hearth\.db/.test(file));
    expect(dataAfter).toEqual(dataBefore);
  }, 60_000);

  it("stops writing a too-large file at the limit while reading on to the next file", async () => {
    const uploadsFolder = join(server.dataDir, "workspaces", workspaceId, "files");
    let largestSeen = 0;
    const watch = setInterval(() => {
      for (const file of filesUnder(uploadsFolder)) {
        try {
          largestSeen = Math.max(largestSeen, statSync(join(uploadsFolder, file)).size);
        } catch {
          // Removed between listing and stat.
        }
      }
    }, 5);
    const boundary = "hearthtestboundary";
    const total = 40 * 1024 * 1024;
    const block = new Uint8Array(1024 * 1024);
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n`));
      },
      pull(controller) {
        if (sent < total) {
          controller.enqueue(block);
          sent += block.length;
          return;
        }
        const text = readFileSync(corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt"));
        controller.enqueue(encoder.encode(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="after.txt"\r\nContent-Type: text/plain\r\n\r\n`));
        controller.enqueue(new Uint8Array(text));
        controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    const response = await admin.request("POST", `/api/workspaces/${workspaceId}/uploads`, {
      body,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    clearInterval(watch);
    expect(response.status).toBe(202);
    const reply = (await response.json()) as { uploadId: string; files: { name: string; status: string; error?: string }[] };
    expect(reply.files).toEqual([
      { name: "huge.pdf", status: "refused", error: "huge.pdf: the file is larger than the 8 MB upload limit" },
      { name: "after.txt", status: "queued" },
    ]);
    expect(largestSeen).toBeGreaterThan(0);
    expect(largestSeen).toBeLessThanOrEqual(uploadLimit);
    const events = await readEvents(await admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${reply.uploadId}/events`));
    expect(finalStatus(events, "after.txt")?.status).toBe("ingested");
  }, 60_000);

  it("shows units, serves the original and a highlighted page image, re-ingests, and deletes", async () => {
    const documents = await admin.call<{ documents: { id: number; file: string }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const pdf = documents.body.documents.find((document) => document.file === nottinghamshire);
    const markdown = documents.body.documents.find((document) => document.file === "Somerset briefing.md");
    if (!pdf || !markdown) throw new Error("expected documents are missing");
    const base = `/api/workspaces/${workspaceId}/documents/${pdf.id}`;

    const units = await admin.call<{ file: string; format: string; units: { index: number; page: number | null; text: string }[] }>("GET", `${base}/units`);
    expect(units.body.file).toBe(nottinghamshire);
    expect(units.body.units).toHaveLength(18);
    expect(units.body.units[3]).toMatchObject({ index: 3, page: 4, text: expect.stringContaining("55.2%") });

    const original = await admin.request("GET", `${base}/file`);
    expect(original.headers.get("content-disposition")).toContain("attachment");
    expect(Buffer.from(await original.arrayBuffer()).equals(readFileSync(corpusPath(`library/${nottinghamshire}`)))).toBe(true);

    const quote = "Of our 953 children (at July 31st 2022) 55.2% are in unrelated foster care";
    const image = await admin.request("GET", `${base}/pages/4/image?highlight=${encodeURIComponent(quote)}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Number(image.headers.get("x-highlight-boxes"))).toBeGreaterThan(0);
    const top = Number(image.headers.get("x-highlight-top"));
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(1);
    const png = Buffer.from(await image.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    // ~110 dpi: an A4 page is about 910 pixels wide.
    expect(png.readUInt32BE(16)).toBeGreaterThan(850);
    expect(png.readUInt32BE(16)).toBeLessThan(960);
    expect((await admin.call("GET", `${base}/pages/19/image`)).status).toBe(404);
    expect((await admin.call("GET", `${base}/pages/0/image`)).status).toBe(404);
    expect((await admin.call("GET", `/api/workspaces/${workspaceId}/documents/${markdown.id}/pages/1/image`)).status).toBe(404);

    const reingest = await admin.call<{ uploadId: string }>("POST", `${base}/reingest`);
    expect(reingest.status).toBe(202);
    const events = await readEvents(await admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${reingest.body.uploadId}/events`));
    expect(finalStatus(events, nottinghamshire)?.status).toBe("ingested");
    const afterReingest = await admin.call<{ documents: { id: number; file: string }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    const reingested = afterReingest.body.documents.filter((document) => document.file === nottinghamshire);
    expect(reingested).toHaveLength(1);

    const reingestedId = reingested[0]?.id ?? 0;
    expect((await admin.call("DELETE", `/api/workspaces/${workspaceId}/documents/${reingestedId}`)).status).toBe(204);
    expect((await admin.call("DELETE", `/api/workspaces/${workspaceId}/documents/${reingestedId}`)).status).toBe(404);
    const remaining = await admin.call<{ documents: { file: string }[] }>("GET", `/api/workspaces/${workspaceId}/documents`);
    expect(remaining.body.documents.map((document) => document.file)).not.toContain(nottinghamshire);
    expect(filesUnder(join(server.dataDir, "workspaces", workspaceId, "files")).some((file) => file.endsWith(nottinghamshire))).toBe(false);
  }, 60_000);
});
