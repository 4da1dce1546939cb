/** Every built-in template drafted over the shared library; the LA email in detail; user templates; sessions. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerFixture } from "../answer/answer-fixture.ts";
import { libraryFixture } from "../answer/answer-fixture.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { setProfileField } from "../profile/organisation-profile.ts";
import { renderReport } from "../report/report.ts";
import type { Answer } from "../answer/types.ts";
import { draftFromTemplate } from "./draft-engine.ts";
import type { TaskTemplate } from "./template-schema.ts";
import { findTemplate, loadTemplateLibrary, userTemplateFolder } from "./template-library.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const now = new Date("2026-06-01T12:00:00Z");

function template(id: string): TaskTemplate {
  const found = findTemplate(loadTemplateLibrary(null), id);
  if (!found.ok) throw found.error;
  return found.value.template;
}

async function draft(fixture: AnswerFixture, id: string, la?: string, about?: string): Promise<Answer> {
  const result = await draftFromTemplate({ store: fixture.store }, { template: template(id), la, about, now });
  if (!result.ok) throw result.error;
  return result.value;
}

describe.skipIf(withoutCorpus())("task templates", () => {
  let fixture: AnswerFixture;

  beforeAll(async () => {
    fixture = await libraryFixture();
    for (const [field, value] of [
      ["name", "Lumen Way Homes"],
      ["provisionType", "an independent therapeutic provision running small children's homes"],
      ["locations", "Mansfield, Ashfield"],
      ["specialisms", "trauma, SEMH"],
      ["signature", "Alex Morgan\\nResponsible Individual, Lumen Way Homes"],
    ] as const) {
      const result = await setProfileField(fixture.store, field, value);
      if (!result.ok) throw result.error;
    }
  }, 120_000);

  it("ships nineteen valid, versioned templates, each in a Toolkit group with example requests", async () => {
    const library = loadTemplateLibrary(null);
    expect(library.templates.map((loaded) => loaded.template.id)).toEqual([
      "admissions-matching",
      "business-plan",
      "care-model-daily-life",
      "la-commissioner-email",
      "landscape-analysis",
      "location-risk-assessment",
      "mission-vision-values",
      "mock-inspection-sccif",
      "ofsted-pre-registration-letter",
      "ofsted-registration-readiness",
      "organisation-description",
      "outcomes-kpi-framework",
      "policies-checklist",
      "regulation-44-visit-report",
      "regulation-45-quality-review",
      "staffing-training-matrix",
      "stakeholder-map",
      "statement-of-purpose",
      "swot-proposed-home",
    ]);
    for (const loaded of library.templates) {
      expect(loaded.template.group).toBeDefined();
      expect(loaded.template.intents.examples.length).toBeGreaterThanOrEqual(3);
    }
    for (const loaded of library.templates) expect(loaded.template.version).toBeGreaterThanOrEqual(1);
  });

  it("writes the email to Nottinghamshire citing its stated needs with pages, signed from the profile", async () => {
    const email = await draft(fixture, "la-commissioner-email", "Nottinghamshire");
    expect(email.question).toBe("Email introducing the organisation to an LA commissioner — Nottinghamshire");
    expect(email.answer).toContain("Introducing Lumen Way Homes: an independent therapeutic provision");
    expect(email.answer).toContain("We work in Mansfield, Ashfield and specialise in trauma, SEMH.");
    expect(email.answer).toMatch(/Kind regards,\n\nAlex Morgan\nResponsible Individual, Lumen Way Homes/);
    expect(email.answer).not.toMatch(/\[(Your|your|organisation name|profile)[^\]]*\]/);
    expect(email.answer).not.toContain("set with hearth profile set name");
    // The needs are points from Nottinghamshire's own strategy, each cited with its page.
    const needs = email.answer.split("From the same documents:")[0]?.split("\n").filter((line) => line.startsWith("- ")) ?? [];
    expect(needs.length).toBeGreaterThanOrEqual(2);
    const strategy = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
    for (const line of needs) {
      const n = Number(line.match(/\[(\d+)\]$/)?.[1]);
      const citation = email.citations.find((candidate) => candidate.n === n);
      expect(citation?.file).toBe(strategy);
      expect(citation?.page).toBeGreaterThan(0);
    }
    expect(needs.some((line) => /\bneed/i.test(line))).toBe(true);
    expect(email.answer).toMatch(/- Children in care: 953 \(July 31st 2022\) \[\d+\]/);
    // Every quote stands verbatim on its cited page.
    const verifier = await verifierOverLibrary(fixture.store);
    const ids = new Map((await fixture.store.documents.list()).map((document) => [document.fileName, document.id]));
    for (const citation of email.citations) expect(verifier.verify(ids.get(citation.file) ?? -1, citation.page, citation.quote), citation.quote).not.toBeNull();
  });

  it("drafts every template offline with citations, and says where evidence is missing", async () => {
    const landscape = await draft(fixture, "landscape-analysis");
    expect(landscape.answer).toMatch(/### Challenges\n- .+ \[\d+\]/);
    expect(landscape.answer).not.toContain("### Figures for");
    const stakeholders = await draft(fixture, "stakeholder-map", "Somerset");
    expect(stakeholders.answer).toContain("### Police and community safety");
    expect(stakeholders.citations.length).toBeGreaterThan(3);
    const swot = await draft(fixture, "swot-proposed-home", "Cambridgeshire", "a two-bed home for children with SEMH needs");
    expect(swot.answer).toContain("Lumen Way Homes: a two-bed home for children with SEMH needs");
    expect(swot.answer).toContain("- Weekly unit cost: external residential: £3,290 [");
    expect(swot.answer).toMatch(/Note: Cambridgeshire Placement Strategy for Looked After Children 2011-2015\.pdf .*may be out of date/);
    // The shared library holds no provider policies: every standard is a gap, its requirement still cited.
    const readiness = await draft(fixture, "ofsted-registration-readiness");
    expect(readiness.answer).toContain("- Education standard (regulation 8).");
    expect(readiness.answer.match(/Gap: no evidence found in your own documents\./g)?.length).toBe(16);
    const sop = await draft(fixture, "statement-of-purpose");
    expect(sop.answer).toContain("Lumen Way Homes provides an independent therapeutic provision running small children's homes.");
  });

  it("requires --la where the template needs one, and says when the library holds nothing about the LA", async () => {
    const result = await draftFromTemplate({ store: fixture.store }, { template: template("la-commissioner-email"), now });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("template la-commissioner-email needs a local authority: --la NAME");
    const leeds = await draft(fixture, "la-commissioner-email", "Leeds");
    expect(leeds.answer).toContain("The library holds no strategy or report from Leeds yet");
    expect(leeds.answer).toContain("The library holds no document about Leeds, so no figures are shown.");
  });

  it("loads the user's own templates and reports a bad one by file", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-templates-"));
    mkdirSync(userTemplateFolder(dataDir));
    // A user's template written before intents and own documents existed: the schema's defaults fill them in.
    const own: Omit<TaskTemplate, "intents" | "ownDocuments"> = {
      id: "board-costs-note",
      version: 2,
      title: "Board note on placement costs",
      description: "Costs for the board.",
      inputs: { la: "required", about: "unused" },
      sections: [{ kind: "figures", heading: "Costs in {la}", fields: ["unit_cost_in_house_residential_weekly", "unit_cost_ifa_weekly"], maxPerField: 1 }],
      askPatterns: [],
    };
    writeFileSync(join(userTemplateFolder(dataDir), "board.json"), JSON.stringify(own));
    writeFileSync(join(userTemplateFolder(dataDir), "broken.json"), JSON.stringify({ id: "Bad Id", version: 1 }));
    const library = loadTemplateLibrary(dataDir);
    expect(library.problems.map((problem) => problem.message)).toEqual([`template ${join(userTemplateFolder(dataDir), "broken.json")}: id: lower-case letters, digits and hyphens`]);
    const loaded = findTemplate(library, "board-costs-note");
    if (!loaded.ok) throw loaded.error;
    expect(loaded.value.origin).toBe("user");
    const result = await draftFromTemplate({ store: fixture.store }, { template: loaded.value.template, la: "Cambs", now });
    if (!result.ok) throw result.error;
    expect(result.value.answer).toBe(
      "Template: Board note on placement costs (board-costs-note, version 2), drafted 1 June 2026.\n\n" +
        "### Costs in Cambridgeshire\n- Weekly unit cost: in-house residential: £2,278 [1]\n- Weekly unit cost: IFA / external fostering: £838 [2]\n\n" +
        "Note: Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf [1][2] covers 2011-2015; it may be out of date — check for a newer version.",
    );
    expect(result.value.citations.map((citation) => [citation.page, citation.quote])).toEqual([
      [4, "In-house Residential Children's Homes | £2,278 per week | £2,611 per week"],
      [4, "External Foster Care (IFA) | £838 per week | £877 per week"],
    ]);
  });

  it("adds a draft to a session and exports it with its sources", async () => {
    const email = await draft(fixture, "la-commissioner-email", "Nottinghamshire");
    await fixture.store.sessions.addExchange("Notts bid", { askedAt: now.toISOString(), answer: email });
    const session = await fixture.store.sessions.get("Notts bid");
    expect(session?.exchanges[0]?.answer).toEqual(email);
    const markdown = (await renderReport(session ?? { name: "", createdAt: "", exchanges: [] }, "md")).toString("utf8");
    expect(markdown).toContain("Email introducing the organisation to an LA commissioner — Nottinghamshire");
    expect(markdown).toMatch(/- File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25\.pdf, Page: 4/);
  });
});
