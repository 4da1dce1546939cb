/** Plain requests reach the right template (three phrasings each, and with typos); questions stay questions. */
import { describe, expect, it } from "vitest";
import { editDistance, optionsFromQuestion, revisionFromQuestion } from "./drafting-intent.ts";
import { detectTask } from "./task-intent.ts";
import type { LoadedTemplate } from "./template-library.ts";
import { loadTemplateLibrary } from "./template-library.ts";
import { taskTemplateSchema } from "./template-schema.ts";

const templates = loadTemplateLibrary(null).templates;
const routed = (question: string): string | null => detectTask(question, templates)?.template.id ?? null;

/** Requests as users type them: misspelt words, missing letters, swapped letters. */
const withTypos: Record<string, string[]> = {
  "mission-vision-values": ["help me drfat a mision statment and values", "wirte our vison and valeus"],
  "organisation-description": ["write a compnay description as a comunity interest company", "draft a servce description for our website"],
  "care-model-daily-life": ["outine a daily rutine for the home", "write our therapuetic approach and care modle"],
  "admissions-matching": ["draft our admisions criteria and matchng", "write the frist 24 hours of a placment"],
  "policies-checklist": ["create a cheklist of the polices we need before registation", "policies and procedurs checklist"],
  "staffing-training-matrix": ["create a trainng and qualifcations matrix", "wirte a stafing plan for a 3-bed home"],
  "outcomes-kpi-framework": ["draft an outcomes framwork with kpis", "create a kpi framewrok using the SDQ"],
  "business-plan": ["help me draft a busness plan for a two-bed home", "write a bussiness case with ocupancy"],
  "location-risk-assessment": ["draft a locaton risk assesment", "write our regulation 46 reveiw of the location"],
  "regulation-44-visit-report": ["draft a regulaton 44 report", "write the independant person's monthly visit report"],
  "regulation-45-quality-review": ["draft our regulation 45 qualty of care reveiw", "reg 45 reprot please"],
  "mock-inspection-sccif": ["mock inspecton for our home", "create a mock ofsted inspction checklist"],
  "ofsted-pre-registration-letter": ["draft a pre-registraton letter to ofsted", "write a leter to Ofsted about registering our home"],
  "statement-of-purpose": ["draft our statment of purpose", "write a statement of purpse for a 3 bed home"],
  "swot-proposed-home": ["prepare a swot anaylsis for our proposed home", "write a SWOT for a home in Somerset"],
  "stakeholder-map": ["create a stakehlder map for Cambridgeshire", "draft a stakeholder mapp for our new home in Kent"],
  "landscape-analysis": ["write a landscpae analysis of residential care", "draft a landscape anlysis for Somerset"],
  "ofsted-registration-readiness": ["produce an ofsted registraton readiness check", "create a readines check for registration"],
  "la-commissioner-email": ["draft an emial to Nottinghamshire's commissioners introducing us", "write an email to the councill's commissioning team"],
};

describe("drafting requests", () => {
  for (const { template } of templates) {
    it(`reaches ${template.id} from its examples and with typos`, () => {
      const phrasings = [...template.intents.examples, ...(withTypos[template.id] ?? [])];
      expect(phrasings.length).toBeGreaterThanOrEqual(5);
      for (const phrasing of phrasings) expect([phrasing, routed(phrasing)]).toEqual([phrasing, template.id]);
    });
  }

  it("routes to a user's own template by its intents, beside the built-in ones", () => {
    const own = taskTemplateSchema.parse({
      id: "board-paper",
      version: 1,
      title: "Board paper",
      description: "A paper for the trustees.",
      inputs: { la: "optional", about: "optional" },
      intents: { phrases: ["board paper", "trustees report"] },
      sections: [{ kind: "text", lines: ["For the board of {profile.name}."] }],
    });
    const library: LoadedTemplate[] = [...templates, { template: own, origin: "user", path: "/data/templates/board-paper.json" }];
    expect(detectTask("write a bord paper on our staffing for the trustees", library)?.template.id).toBe("board-paper");
    expect(detectTask("Create a training and qualifications matrix for our staff", library)?.template.id).toBe("staffing-training-matrix");
  });

  it("names the close others beside the best", () => {
    const task = detectTask("Create a mock inspection checklist for registration readiness", templates);
    expect(task?.template.id).toBe("mock-inspection-sccif");
    expect(task?.alternatives.map((other) => other.id)).toContain("ofsted-registration-readiness");
    // With nothing else close, the template's Toolkit group is offered.
    const alone = detectTask("draft a regulation 45 report", templates);
    expect(alone?.alternatives).toEqual([]);
    expect(alone?.related?.map((other) => other.group)).toEqual(["Running a home", "Running a home", "Running a home"]);
  });

  it("leaves questions alone, even when they name a template", () => {
    for (const question of [
      "What should a mock inspection cover?",
      "What must a statement of purpose include?",
      "How often must the independent person visit under regulation 44?",
      "Write down the weekly cost of in-house residential care in Cambridgeshire",
      "Which qualification does a registered manager need?",
      "Draft a letter to parents about the new visiting times",
    ]) {
      expect([question, routed(question)]).toEqual([question, null]);
    }
  });

  it("reads the home's options from the request", () => {
    expect(optionsFromQuestion("outline a daily routine for a 3-bed home for 11-17 year olds with SEMH and autism")).toEqual({
      ageRange: "11 to 17",
      beds: "3",
      specialism: "SEMH, autism",
    });
    expect(optionsFromQuestion("a two-bedded home for young people aged 8 to 12 who have experienced complex trauma")).toEqual({
      ageRange: "8 to 12",
      beds: "2",
      specialism: "complex trauma",
    });
    expect(optionsFromQuestion("a staffing plan")).toEqual({});
    expect(detectTask("Draft a business plan for a 4 bed home in Notts", templates)).toMatchObject({
      template: { id: "business-plan" },
      la: "Nottinghamshire",
      options: { beds: "4" },
    });
  });

  it("reads the revision a follow-up asks for", () => {
    expect(revisionFromQuestion("make it shorter")).toEqual({ length: "shorter" });
    expect(revisionFromQuestion("more on therapy")).toEqual({ focus: "therapy" });
    expect(revisionFromQuestion("Can you redo it as a letter?")).toEqual({ form: "letter" });
    expect(revisionFromQuestion("shorter, and more on missing children")).toEqual({ length: "shorter", focus: "missing children" });
    expect(revisionFromQuestion("What is regulation 44?")).toBeNull();
  });

  it("counts a swap of neighbouring letters as one edit", () => {
    expect(editDistance("wirte", "write", 2)).toBe(1);
    expect(editDistance("mision", "mission", 2)).toBe(1);
    expect(editDistance("policy", "budget", 2)).toBe(3);
  });
});
