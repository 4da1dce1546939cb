/**
 * The templates for opening and running a home, drafted over the shared corpus (the Regulations, the Guide, the
 * SCCIF, the LA strategies): offline, each keeps its sections, every requirement line cites a real page (or the
 * SCCIF's section: that copy has no pages) with a quote that stands verbatim there, and no profile placeholder is
 * left when the profile holds the value; the provider's own documents are cited, or named as missing. With a
 * loopback model (replayed replies), each is rewritten and checked: an invented claim about the provider is removed
 * and the citations and cover line are kept. Exports carry the cover line in Markdown, DOCX and PDF.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../answer/types.ts";
import { passagesClose, passagesOpen } from "../answer/grounded-answerer.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { setProfileField } from "../profile/organisation-profile.ts";
import { createOpenAICompatible } from "../providers/openai-compatible.ts";
import type { FakeModelServer } from "../providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import { renderReport } from "../report/report.ts";
import type { Store } from "../store/types.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { openCorpusLibraryCopy } from "../../test/support/corpus-library.ts";
import { draftFromTemplate } from "./draft-engine.ts";
import { createDraftWriter, draftDocument } from "./model-draft.ts";
import { loadTemplateLibrary } from "./template-library.ts";
import type { TaskTemplate } from "./template-schema.ts";

const now = new Date("2026-06-01T12:00:00Z");
const homeTemplates = [
  "mission-vision-values",
  "organisation-description",
  "care-model-daily-life",
  "admissions-matching",
  "policies-checklist",
  "staffing-training-matrix",
  "outcomes-kpi-framework",
  "business-plan",
  "location-risk-assessment",
  "regulation-44-visit-report",
  "regulation-45-quality-review",
  "mock-inspection-sccif",
  "ofsted-pre-registration-letter",
];
const byId = new Map(loadTemplateLibrary(null).templates.map((loaded) => [loaded.template.id, loaded.template]));
const template = (id: string): TaskTemplate => byId.get(id) ?? (() => { throw new Error(`no template ${id}`); })();
const invented = "Lumen Way Homes has been rated outstanding by Ofsted every year since 2009.";

describe.skipIf(withoutCorpus())("templates for opening and running a home, over the shared corpus", () => {
  let store: Store;
  let library: Awaited<ReturnType<typeof openCorpusLibraryCopy>> | undefined;
  let server: FakeModelServer;
  const drafts = new Map<string, Answer>();

  beforeAll(async () => {
    const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
    if (!config.ok) throw config.error;
    // library/ and real/ come ingested (once per run, shared with other test files); the provider's own document is
    // added here.
    library = await openCorpusLibraryCopy();
    store = library.store;
    // One of the provider's own documents: named as a Statement of Purpose, so it counts as its own.
    const own = mkdtempSync(join(tmpdir(), "hearth-own-"));
    writeFileSync(
      join(own, "Lumen Way Statement of Purpose.md"),
      "# Statement of Purpose\n\n## Our ethos\n\nOur mission is to give children who have experienced trauma a safe, warm home where adults stay, and to help each child build relationships that last.\n\nWe believe every child deserves to be cared for by a team trained in PACE, with weekly consultation from our clinical psychologist.\n",
    );
    const summary = await ingestPaths([own], { store, config: config.value });
    expect(summary.ingested).toBe(1);
    expect((await store.documents.list()).length).toBeGreaterThan(10);
    for (const [field, value] of [
      ["name", "Lumen Way Homes"],
      ["provisionType", "small therapeutic children's homes"],
      ["locations", "Mansfield, Ashfield"],
      ["specialisms", "trauma, SEMH"],
      ["therapeuticModel", "PACE and DDP-informed"],
      ["website", "https://lumenway.example"],
      ["signature", "Alex Morgan\\nResponsible Individual, Lumen Way Homes"],
    ] as const) {
      const result = await setProfileField(store, field, value);
      if (!result.ok) throw result.error;
    }
    for (const id of homeTemplates) {
      const result = await draftFromTemplate(
        { store },
        { template: template(id), la: "Nottinghamshire", about: "a three-bed home in Mansfield", options: { ageRange: "11 to 17", beds: "3" }, now },
      );
      if (!result.ok) throw result.error;
      drafts.set(id, result.value);
    }
    server = await startFakeModelServer("openai");
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    library?.remove();
  });

  for (const id of homeTemplates) {
    it(`drafts ${id} offline: its sections, requirements cited to real pages, the profile filled in`, async () => {
      const draft = drafts.get(id)!;
      const tpl = template(id);
      expect(draft.answer.startsWith(`Template: ${tpl.title} (${id}, version ${tpl.version}), drafted 1 June 2026.`)).toBe(true);
      expect(draft.draft).toMatchObject({ template: id, version: tpl.version });
      // Every heading the template declares is there (figures sections need an LA's figures: Nottinghamshire's).
      for (const section of tpl.sections) {
        if (section.heading) expect(draft.answer).toContain(`### ${section.heading.replace("{la}", "Nottinghamshire")}`);
      }
      // No profile placeholder where the profile holds the value; the options given are used.
      expect(draft.answer).not.toMatch(/add it to the organisation profile|hearth profile set (name|provisionType|specialisms|therapeuticModel|locations)/);
      expect(draft.answer).not.toMatch(/\[age range|\[number of beds/);
      if (JSON.stringify(tpl.sections).includes("{profile.name}")) expect(draft.answer).toContain("Lumen Way Homes");

      const ids = new Map((await store.documents.list()).map((document) => [document.fileName, document.id]));
      const verifier = await verifierOverLibrary(store);
      const requirementLines = draft.answer.split("\n").filter((line) => line.includes(" Required: "));
      if (tpl.sections.some((section) => section.kind === "checklist")) expect(requirementLines.length).toBeGreaterThanOrEqual(3);
      for (const line of requirementLines) {
        const n = Number(/ Required: .*?\[(\d+)\]/.exec(line)?.[1]);
        expect([line.slice(0, 80), Number.isInteger(n) && n > 0]).toEqual([line.slice(0, 80), true]);
        const citation = draft.citations.find((candidate) => candidate.n === n)!;
        expect(/regulations 2015|Guide_to_Children|SCCIF|Promoting_the_health/i.test(citation.file)).toBe(true);
        if (citation.file.endsWith(".txt")) expect(citation.section).toBeTruthy();
        else expect(citation.page).toBeGreaterThan(0);
      }
      // Every quote of the draft stands verbatim on its cited page.
      expect(draft.citations.length).toBeGreaterThanOrEqual(3);
      for (const citation of draft.citations) {
        expect(verifier.verify(ids.get(citation.file) ?? -1, citation.page, citation.quote), `${citation.file} p${citation.page}`).not.toBeNull();
      }
    });
  }

  it("cites the provider's own documents, and names the ones to add", async () => {
    const mission = drafts.get("mission-vision-values")!;
    const ownCitation = mission.citations.find((citation) => citation.file === "Lumen Way Statement of Purpose.md");
    expect(ownCitation?.quote).toMatch(/Our mission is to give children who have experienced trauma/);
    expect(mission.answer).toContain("- Statement of Purpose: Lumen Way Statement of Purpose.md");
    expect(mission.answer).toMatch(/- Service model or business plan: not in the library\. Add yours and tag it as your own/);
    expect(drafts.get("policies-checklist")!.answer).toMatch(/- Missing child policy: not in the library/);
  });

  it("sets out the registered manager's Level 5 Diploma under regulation 28, with its deadline", async () => {
    const matrix = drafts.get("staffing-training-matrix")!;
    expect(matrix.answer).toMatch(/Registered manager: Level 5 Diploma[^\n]*Required: [^\n]*Level 5 Diploma in Leadership and Management for Residential Childcare/);
    expect(matrix.answer).toMatch(/Registered manager: by when[^\n]*3 years after the date on which that person started managing a home/);
    expect(matrix.answer).toMatch(/Care staff: Level 3 Diploma[^\n]*Required: [^\n]*Level 3 Diploma/);
  });

  it("exports a draft as Markdown, DOCX and PDF with the cover line", async () => {
    const draft = drafts.get("regulation-44-visit-report")!;
    const session = { name: "Reg 44", createdAt: now.toISOString(), exchanges: [{ askedAt: now.toISOString(), answer: draft }] };
    const markdown = (await renderReport(session, "md")).toString("utf8");
    expect(markdown).toContain("Template: Independent person's visit report (regulation 44) (regulation-44-visit-report, version 1)");
    expect((await renderReport(session, "docx")).subarray(0, 2).toString()).toBe("PK");
    expect((await renderReport(session, "pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("keeps a prompt the model leaves as written, and drops a sentence that turns a prompt into a claim about the provider", async () => {
    const prompt = "[Describe registration with a GP and dentist, health assessments, CAMHS and therapy, medication and healthy living.]";
    server.respond = ({ user }) => {
      const block = user.slice(user.indexOf(passagesOpen) + passagesOpen.length, user.indexOf(passagesClose));
      const first = /^\[(\d+)\] File: [^\n]*\n([^\n]*)/m.exec(block)!;
      return [
        "### Our care model",
        "Lumen Way Homes provides small therapeutic children's homes.",
        `${first[2]!.split(/\s+/).slice(0, 30).join(" ").replace(/[;:,—–-]+$/, "")} [${first[1]}].`,
        "### Health and well-being",
        prompt,
        "Every child is registered with a GP and dentist, has regular health assessments and receives CAMHS and therapy.",
      ].join("\n\n");
    };
    const writer = createDraftWriter({ model: createOpenAICompatible({ baseURL: server.url, model: "writer-model", maxRetries: 0, timeoutMs: 30_000 }) });
    const result = await draftDocument({ store, writer }, { template: template("care-model-daily-life"), now });
    if (!result.ok) throw result.error;
    expect(result.value.mode).toBe("llm");
    expect(result.value.answer).toContain("Lumen Way Homes provides small therapeutic children's homes.");
    expect(result.value.answer).toContain(prompt);
    expect(result.value.answer).not.toContain("Every child is registered with a GP");
  });

  for (const id of homeTemplates) {
    it(`rewrites ${id} with a model, keeping what the quotes support and removing an invented claim about the provider`, async () => {
      // The replayed reply: the draft's headings, a sentence from its first quote with that quote's number, the
      // profile's own line, and a claim about the provider that nothing supports. The model's timeout is generous:
      // on a loaded machine, with two test files at a time, 5 s was once too short for the whole reply.
      server.respond = ({ user }) => {
        const block = user.slice(user.indexOf(passagesOpen) + passagesOpen.length, user.indexOf(passagesClose));
        const first = /^\[(\d+)\] File: [^\n]*\n([^\n]*)/m.exec(block)!;
        const words = first[2]!.split(/\s+/).slice(0, 30).join(" ").replace(/[;:,—–-]+$/, "");
        return [`### ${template(id).sections.find((section) => section.heading)?.heading ?? "Draft"}`, `${words} [${first[1]}].`, invented].join("\n\n");
      };
      const writer = createDraftWriter({ model: createOpenAICompatible({ baseURL: server.url, model: "writer-model", maxRetries: 0, timeoutMs: 30_000 }) });
      const result = await draftDocument(
        { store, writer },
        { template: template(id), la: "Nottinghamshire", about: "a three-bed home in Mansfield", options: { ageRange: "11 to 17", beds: "3" }, now },
      );
      if (!result.ok) throw result.error;
      const written = result.value;
      expect(written.mode, written.answer.slice(0, 400)).toBe("llm");
      expect(written.answer.startsWith(`Template: ${template(id).title} (${id}, version 1)`)).toBe(true);
      expect(written.answer).not.toContain("rated outstanding");
      // Hearth's note on what was left out sits apart from the drafted text.
      expect(written.notes?.join(" ")).toMatch(/1 sentence was left out/);
      expect(written.answer).not.toMatch(/^Note:/m);
      expect(written.citations.length).toBe(1);
      expect(written.answer).toContain("[1]");
      expect(written.draft?.template).toBe(id);
    });
  }
});
