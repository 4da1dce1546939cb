/**
 * The strategy toolkit over HTTP: task templates, drafts (added to a session when one is named, so they export
 * with it), the local authority comparison (JSON, CSV, Markdown) and document source-authority tags. Every route
 * calls the same core functions as the CLI commands draft, templates, la and tag.
 */
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import { authorityLabels, authoritySummary, describeSourceAuthority, parseAuthorityDate, parseAuthorityKind, tagSourceAuthority } from "../authority/source-authority.ts";
import type { SourceAuthority } from "../authority/source-authority.ts";
import type { HearthError } from "../errors/hearth-error.ts";
import { fieldLabels, figureFields, isListField } from "../market/figures.ts";
import { buildLaProfiles, compareAuthorities, comparisonCsv, comparisonMarkdown } from "../market/la-profiles.ts";
import type { AuthorityComparison } from "../market/la-profiles.ts";
import type { Store } from "../store/types.ts";
import { templateOptions } from "../toolkit/draft-engine.ts";
import { draftDocument, draftWriterFor } from "../toolkit/model-draft.ts";
import { findTemplate, loadTemplateLibrary } from "../toolkit/template-library.ts";
import { answerErrorMessage, answerServiceFor, answerWithDocumentIds, sessionNameSchema } from "./ask.ts";
import { audit, currentUser } from "./auth.ts";
import { attachment } from "./documents.ts";
import { HttpError, notFound } from "./http-error.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { jsonBody } from "./validate.ts";
import { allow } from "./authorise.ts";

const draftSchema = z.object({
  template: z.string().trim().min(1, "choose a template").max(100),
  la: z.string().trim().max(200, "the local authority name is too long").optional(),
  about: z.string().trim().max(2000, "the subject is too long").optional(),
  session: sessionNameSchema.optional(),
  /** False drafts offline even when the workspace has a language model. */
  useModel: z.boolean().default(true),
  /** The home's options (else the organisation profile's). */
  options: z
    .object({
      ageRange: z.string().trim().min(1).max(40, "the age range is too long").optional(),
      beds: z.string().trim().regex(/^\d{1,3}$/, "beds: a whole number").optional(),
      specialism: z.string().trim().min(1).max(200, "the specialism is too long").optional(),
    })
    .optional(),
});

const authorityTagSchema = z.object({
  authority: z.string().trim().min(1, "choose an authority kind").max(60),
  /** A year, a date or a period; empty or omitted keeps the current date. */
  date: z.string().trim().max(30).optional(),
});

/** The core's messages name CLI flags ("--la NAME"); on the web the same rule reads without them. */
function webMessage(error: HearthError): string {
  return error.message.replace(/: --la NAME$/, " (give its name)").replace(/: --about TEXT$/, " (say what it is about)").replace(/^--(authority|date)\b/, "$1");
}

function badRequest(error: HearthError): HttpError {
  return new HttpError(400, webMessage(error), { cause: error });
}

/** Authorities named in ?name=A&name=B (all when none). */
function requestedNames(names: string[]): string[] | undefined {
  const cleaned = names.map((name) => name.trim()).filter((name) => name.length > 0);
  return cleaned.length > 0 ? cleaned : undefined;
}

function publicAuthority(fileName: string, documentId: number, authority: SourceAuthority): { documentId: number; file: string } & ReturnType<typeof authoritySummary> {
  return { documentId, file: fileName, ...authoritySummary(authority) };
}


async function findDocument(store: Store, rawId: string): Promise<{ id: number; fileName: string; title: string | null }> {
  const id = Number(rawId);
  const document = Number.isInteger(id) && id > 0 ? await store.documents.get(id) : undefined;
  if (!document) throw notFound("No such document in this workspace");
  return document;
}

export function toolkitRoutes(services: ServerServices) {
  const { libraries, accounts, config } = services;

  /** The comparison across the workspace's authorities, or those named in ?name=A&name=B. */
  const comparisonFor = async (c: Context<ServerEnv>): Promise<AuthorityComparison> => {
    const { store } = await libraries.get(c.get("workspace").id);
    return compareAuthorities(await buildLaProfiles(store, requestedNames(c.req.queries("name") ?? [])));
  };

  /** Route middleware: the document in the path must be in this workspace (404 before the body is read, as before). */
  const knownDocument: MiddlewareHandler<ServerEnv> = async (c, next) => {
    await findDocument((await libraries.get(c.get("workspace").id)).store, c.req.param("documentId") ?? "");
    await next();
  };

  const routes = new Hono<ServerEnv>()
  .get("/api/workspaces/:workspaceId/templates", (c) => {
    const library = loadTemplateLibrary(config.dataDir);
    return c.json({
      templates: library.templates.map(({ template, origin }) => ({
        id: template.id,
        name: template.title,
        version: template.version,
        description: template.description,
        inputs: template.inputs,
        group: template.group ?? null,
        options: templateOptions(template),
        examples: template.intents.examples,
        origin,
      })),
      problems: library.problems.map((problem) => problem.message),
    });
  })

  // Drafting is for editors: the same rule (authorise.mayDraft) keeps a viewer's plain-words task in /ask from drafting.
  .post("/api/workspaces/:workspaceId/drafts", allow("editor"), jsonBody(draftSchema), async (c) => {
    const body = c.req.valid("json");
    const workspaceId = c.get("workspace").id;
    const found = findTemplate(loadTemplateLibrary(config.dataDir), body.template);
    if (!found.ok) throw badRequest(found.error);
    const library = await libraries.get(workspaceId);
    let writer = null;
    if (body.useModel) {
      const service = await answerServiceFor(library, config, services.secrets, { drafting: true });
      if (!service.ok) throw new HttpError(503, answerErrorMessage(service.error), { cause: service.error });
      writer = draftWriterFor(service.value);
    }
    const drafted = await draftDocument({ store: library.store, writer }, { template: found.value.template, la: body.la, about: body.about, options: body.options }, { signal: c.req.raw.signal });
    if (!drafted.ok) throw badRequest(drafted.error);
    // A gap in the profile is filled on the Settings page here, not with the CLI the core's wording names.
    const draft = { ...drafted, value: { ...drafted.value, answer: drafted.value.answer.replace(/set with hearth profile set [\w-]+ "\.\.\."/g, "add it on the Settings page, Organisation profile") } };
    if (body.session) await library.store.sessions.addExchange(body.session, { askedAt: new Date().toISOString(), answer: draft.value });
    await accounts.recordAudit({
      userId: currentUser(c).id,
      workspaceId,
      action: "draft",
      detail: [found.value.template.id, body.la ? `for ${body.la}` : "", body.session ? `into session "${body.session}"` : ""].filter(Boolean).join(" "),
    });
    return c.json({ draft: await answerWithDocumentIds(draft.value, library) });
  })

  .get("/api/workspaces/:workspaceId/authorities", async (c) =>
    c.json({ ...(await comparisonFor(c)), fields: figureFields.map((field) => ({ field, label: fieldLabels[field], list: isListField(field) })) }),
  );

  // Downloads (links on the page, not client calls), registered in place so the routes keep their order.
  for (const [extension, render, type] of [
    ["csv", comparisonCsv, "text/csv"],
    ["md", comparisonMarkdown, "text/markdown"],
  ] as const) {
    routes.get(`/api/workspaces/:workspaceId/authorities/compare.${extension}`, async (c) => {
      const body = render(await comparisonFor(c));
      await audit(c, services, "export", `local-authorities.${extension}`);
      return c.body(body, 200, {
        "Content-Type": `${type}; charset=utf-8`,
        "Content-Disposition": attachment(`local-authorities.${extension}`),
      });
    });
  }

  return routes
  .get("/api/workspaces/:workspaceId/documents/:documentId/authority", async (c) => {
    const { store } = await libraries.get(c.get("workspace").id);
    const document = await findDocument(store, c.req.param("documentId"));
    return c.json(publicAuthority(document.fileName, document.id, await describeSourceAuthority(store, document)));
  })

  .put("/api/workspaces/:workspaceId/documents/:documentId/authority", allow("editor"), knownDocument, jsonBody(authorityTagSchema), async (c) => {
    const workspaceId = c.get("workspace").id;
    const { store } = await libraries.get(workspaceId);
    const document = await findDocument(store, c.req.param("documentId"));
    const body = c.req.valid("json");
    const kind = parseAuthorityKind(body.authority);
    if (!kind.ok) throw badRequest(kind.error);
    const date = body.date ? parseAuthorityDate(body.date) : undefined;
    if (date && !date.ok) throw badRequest(date.error);
    const authority = await tagSourceAuthority(store, document.fileName, {
      kind: kind.value,
      ...(date?.ok ? { year: date.value.year, period: date.value.period } : {}),
    });
    await accounts.recordAudit({
      userId: currentUser(c).id,
      workspaceId,
      action: "tag",
      detail: `${document.fileName}: ${authorityLabels[authority.kind]}${body.date ? `, ${body.date}` : ""}`,
    });
    return c.json(publicAuthority(document.fileName, document.id, authority));
  });
}

export type ToolkitRoutes = ReturnType<typeof toolkitRoutes>;
