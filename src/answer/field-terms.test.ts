/**
 * Field terms an answer's page may say in other words: social, emotional and mental health (SEMH) support is spoken of
 * as "mental health support" in inspection reports, so a question about SEMH support is not refused for want of the
 * acronym where the page offers mental health support.
 */
import { describe, expect, it } from "vitest";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { analyseQuery } from "../retrieval/query.ts";

describe("field terms in the glossary", () => {
  it("reads SEMH as social, emotional and mental health, and as mental health", () => {
    const semh = analyseQuery("SEMH support", loadDefaultGlossary()).concepts.find((concept) => concept.forms.some((form) => form.words.join(" ") === "semh"));
    const forms = semh?.forms.map((form) => form.words.join(" ")) ?? [];
    expect(forms).toContain("social emotional and mental health");
    expect(forms).toContain("mental health");
  });
});
