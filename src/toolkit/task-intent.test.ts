/** Toolkit tasks asked for in the chat: which template, which LA, what about; ordinary questions stay questions. */
import { describe, expect, it } from "vitest";
import { detectTask } from "./task-intent.ts";
import type { LoadedTemplate } from "./template-library.ts";
import { loadTemplateLibrary } from "./template-library.ts";
import { taskTemplateSchema } from "./template-schema.ts";

const templates = loadTemplateLibrary(null).templates;

function task(question: string): { id: string; la: string | undefined; about: string | undefined } | null {
  const found = detectTask(question, templates);
  return found ? { id: found.template.id, la: found.la, about: found.about } : null;
}

describe("tasks asked for in the chat", () => {
  it("reads the seed request as the LA commissioner email, its subject addressed to the reader", () => {
    expect(
      task(
        "Can you draft an email to send to a local authority that I havee previously worked with at another organisation, could you introduce Lumen Way Homes ITP and ask whether they are struggling with any referrals that are experience persistent placement breakdowns",
      ),
    ).toEqual({ id: "la-commissioner-email", la: undefined, about: "whether you are struggling with any referrals that are experience persistent placement breakdowns" });
    expect(task("Please write an email to Notts introducing us, about their shortage of local children's homes.")).toEqual({
      id: "la-commissioner-email",
      la: "Nottinghamshire",
      about: "your shortage of local children's homes",
    });
  });

  it("finds each built-in task by its words, with the LA and the proposed home", () => {
    expect(task("Prepare a SWOT for a two-bed home in Somerset for children with SEMH needs")).toEqual({
      id: "swot-proposed-home",
      la: "Somerset",
      about: "a two-bed home in Somerset for children with SEMH needs",
    });
    expect(task("Create a stakeholder map for our new home in Cambridgeshire")?.id).toBe("stakeholder-map");
    expect(task("Write a landscape analysis of children's residential care")?.id).toBe("landscape-analysis");
    expect(task("Produce an Ofsted registration readiness check")?.id).toBe("ofsted-registration-readiness");
    expect(task("Draft our statement of purpose")?.id).toBe("statement-of-purpose");
  });

  it("leaves questions alone: no drafting verb, or nothing a template does", () => {
    expect(task("What must a statement of purpose include?")).toBeNull();
    expect(task("Describe the current landscape for children's residential care in the UK.")).toBeNull();
    expect(task("When does the inspector send an email to the local authority?")).toBeNull();
    expect(task("Write down the weekly cost of in-house residential care in Cambridgeshire")).toBeNull();
    // An email or letter is the LA commissioner email only when it is for a local authority.
    expect(task("Draft a letter to parents about the new visiting times")).toBeNull();
    expect(task("Draft a letter to the council's commissioning team about our new home")?.id).toBe("la-commissioner-email");
  });

  it("routes to a user's template by its own patterns, and rejects a pattern that is not a regular expression", () => {
    const own = taskTemplateSchema.parse({
      id: "board-note",
      version: 1,
      title: "Board note",
      description: "A note for the board.",
      inputs: { la: "optional", about: "optional" },
      askPatterns: ["\\bboard (note|paper)\\b"],
      sections: [{ kind: "text", lines: ["For the board."] }],
    });
    const library: LoadedTemplate[] = [{ template: own, origin: "user", path: "/data/templates/board.json" }, ...templates];
    expect(detectTask("Draft a board paper on placement costs in Kent", library)).toMatchObject({ template: { id: "board-note" }, la: "Kent", about: "placement costs in Kent" });
    const bad = taskTemplateSchema.safeParse({ ...own, askPatterns: ["(unclosed"] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0]?.message).toBe("not a valid regular expression");
  });
});
