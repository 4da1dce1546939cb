/** The workspace library: list, remove, units (slides and sections), page images and the original file. */
import { readFile, rm } from "node:fs/promises";
import { Hono } from "hono";
import { authorityKinds, authorityLabels, authoritySummary, libraryAuthorities } from "../authority/source-authority.ts";
import type { DocumentRecord } from "../store/types.ts";
import { audit, currentUser } from "./auth.ts";
import { HttpError, notFound } from "./http-error.ts";
import { renderPdfPage } from "./page-image.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { allow } from "./authorise.ts";

export function publicDocument(document: DocumentRecord): {
  id: number;
  file: string;
  format: string;
  units: number;
  passages: number;
  warnings: string[];
  ingestedAt: string;
} {
  return {
    id: document.id,
    file: document.fileName,
    format: document.format,
    units: document.unitCount,
    passages: document.chunkCount,
    warnings: document.warnings,
    ingestedAt: document.ingestedAt,
  };
}

/** The Content-Disposition value for a download, with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function documentRoutes(services: ServerServices) {
  const { libraries, accounts } = services;

  const findDocument = async (workspaceId: string, rawId: string): Promise<DocumentRecord> => {
    const id = Number(rawId);
    const document = Number.isInteger(id) && id > 0 ? await (await libraries.get(workspaceId)).store.documents.get(id) : undefined;
    if (!document) throw notFound("No such document in this workspace");
    return document;
  };

  const readOriginal = async (document: DocumentRecord): Promise<Buffer> => {
    try {
      return await readFile(document.sourcePath);
    } catch (error) {
      throw new HttpError(404, `The original of ${document.fileName} is no longer on disk`, { cause: error });
    }
  };

  return new Hono<ServerEnv>()
  .get("/api/workspaces/:workspaceId/documents", async (c) => {
    const { store } = await libraries.get(c.get("workspace").id);
    const documents = await store.documents.list();
    // Every authority tag in one read, not one setting per document.
    const library = await libraryAuthorities(store);
    const authorities = documents.map((document) => library.of(document));
    return c.json({
      documents: documents.map((document, index) => ({ ...publicDocument(document), ...authoritySummary(authorities[index]!) })),
      // The kinds a document can be tagged with, for the Library page's control.
      authorityKinds: authorityKinds.map((kind) => ({ kind, label: authorityLabels[kind] })),
    });
  })

  .delete("/api/workspaces/:workspaceId/documents/:documentId", allow("editor"), async (c) => {
    const workspaceId = c.get("workspace").id;
    const document = await findDocument(workspaceId, c.req.param("documentId"));
    // Through the queue, so a removal never interleaves with an ingest writing the same workspace.
    await libraries.enqueue(workspaceId, async () => {
      await (await libraries.get(workspaceId)).store.documents.remove(document.id);
      if (libraries.ownsFile(workspaceId, document.sourcePath)) await rm(document.sourcePath, { force: true });
    });
    await accounts.recordAudit({ userId: currentUser(c).id, workspaceId, action: "delete", detail: document.fileName });
    return c.body(null, 204);
  })

  .get("/api/workspaces/:workspaceId/documents/:documentId/units", async (c) => {
    const workspaceId = c.get("workspace").id;
    const document = await findDocument(workspaceId, c.req.param("documentId"));
    const units = (await (await libraries.get(workspaceId)).store.documents.unitTexts([document.id])).get(document.id) ?? [];
    await audit(c, services, "view", `${document.fileName} (text)`);
    return c.json({ file: document.fileName, format: document.format, units });
  })

  .get("/api/workspaces/:workspaceId/documents/:documentId/file", async (c) => {
    const document = await findDocument(c.get("workspace").id, c.req.param("documentId"));
    const bytes = await readOriginal(document);
    await audit(c, services, "download", document.fileName);
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": attachment(document.fileName),
      "X-Content-Type-Options": "nosniff",
    });
  })

  .get("/api/workspaces/:workspaceId/documents/:documentId/pages/:page/image", async (c) => {
    const document = await findDocument(c.get("workspace").id, c.req.param("documentId"));
    if (document.format !== "pdf") throw notFound(`${document.fileName} has no page images (only PDFs do)`);
    const page = Number(c.req.param("page"));
    const rendered = renderPdfPage(new Uint8Array(await readOriginal(document)), page, c.req.query("highlight"));
    await audit(c, services, "view", `${document.fileName} page ${page}`);
    if (!rendered.ok) {
      throw new HttpError(rendered.error.code === "NOT_FOUND" ? 404 : 500, `${document.fileName}: ${rendered.error.message}`, {
        cause: rendered.error,
      });
    }
    return c.body(rendered.value.png, 200, {
      "Content-Type": "image/png",
      "Cache-Control": "private, max-age=3600",
      "X-Highlight-Boxes": String(rendered.value.highlighted),
      ...(rendered.value.highlightTop === null ? {} : { "X-Highlight-Top": rendered.value.highlightTop.toFixed(4) }),
    });
  });
}

export type DocumentRoutes = ReturnType<typeof documentRoutes>;
