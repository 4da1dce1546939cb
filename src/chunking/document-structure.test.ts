import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ContentBlock, LoadedDocument } from "../loaders/types.ts";
import { chunkDocument, divisionOf, documentStructureSchema } from "./chunk.ts";

const pdf = (pages: ContentBlock[][]): LoadedDocument => ({
  format: "pdf",
  title: "The Children's Homes (England) Regulations 2015",
  warnings: [],
  units: pages.map((blocks, index) => ({ page: 38 + index, section: null, blocks })),
});

describe("divisions of a statute or guidance", () => {
  it("recognises a numbered division and its inline title, and nothing that only starts with the word", () => {
    expect(divisionOf("SCHEDULE 1")).toEqual({ rank: 0, designation: "SCHEDULE 1", title: "" });
    expect(divisionOf("ANNEX A –Qualifications for staff working in children’s homes")).toEqual({
      rank: 0,
      designation: "ANNEX A",
      title: "Qualifications for staff working in children’s homes",
    });
    expect(divisionOf("Chapter 2: Sufficiency")?.rank).toBe(1);
    expect(divisionOf("Part of the local offer")).toBeNull();
    expect(divisionOf("Partnership working")).toBeNull();
    expect(divisionOf("Annexes")).toBeNull();
  });

  // Schedule 1 of the Children's Homes Regulations as the PDF loader reads it: "SCHEDULE 1" no larger than the
  // sub-headings under it, its title and the regulation it serves on the lines after it.
  const { chunks } = chunkDocument(
    pdf([
      [
        { kind: "heading", level: 3, text: "PART 7" },
        { kind: "heading", level: 4, text: "Miscellaneous" },
        { kind: "heading", level: 5, text: "Review of regulations" },
        { kind: "paragraph", text: "52.—(1) The Secretary of State must from time to time carry out a review of these Regulations." },
        { kind: "heading", level: 5, text: "SCHEDULE 1" },
        { kind: "paragraph", text: "Regulation 16" },
        { kind: "heading", level: 5, text: "Matters to be included in the Statement of Purpose" },
        { kind: "heading", level: 5, text: "Quality and purpose of care" },
        { kind: "paragraph", text: "1. A statement of the range of needs of the children for whom it is intended that the children's home is to provide care and accommodation." },
        { kind: "heading", level: 5, text: "Health" },
        { kind: "heading", level: 5, text: "14. Details of any healthcare or therapy provided, including—" },
      ],
      [
        { kind: "paragraph", text: "(a) details of the qualifications and professional supervision of the staff involved in providing any healthcare or therapy;" },
        { kind: "heading", level: 5, text: "Care planning" },
        { kind: "paragraph", text: "22. Any criteria used for the admission of children to the home, including any policies and procedures for emergency admission." },
        { kind: "heading", level: 5, text: "SCHEDULE 2" },
        { kind: "paragraph", text: "Regulations 26, 28, and 32" },
        { kind: "paragraph", text: "Information required in respect of persons seeking to carry on, manage or work at a children's home" },
        { kind: "paragraph", text: "1. Proof of identity including a recent photograph." },
      ],
    ]),
  );
  const passage = (start: string) => chunks.find((chunk) => chunk.text.includes(start));
  const scheduleOne = "SCHEDULE 1 — Matters to be included in the Statement of Purpose (Regulation 16)";

  it("carries a schedule with its title down to every passage under it, on later pages too", () => {
    expect(passage("22. Any criteria")?.headingPath).toEqual([scheduleOne, "Care planning"]);
    expect(passage("22. Any criteria")?.section).toBe("Care planning");
    expect(passage("1. A statement of the range")?.headingPath).toEqual([scheduleOne, "Quality and purpose of care"]);
    // The schedule ends Part 7: its passages are not "Miscellaneous".
    expect(passage("22. Any criteria")?.headingPath).not.toContain("Miscellaneous");
    expect(passage("52.—(1)")?.headingPath).toEqual(["PART 7 — Miscellaneous", "Review of regulations", "Regulation 52"]);
  });

  it("keeps the division's heading lines with the first passage under it, not as a passage of their own", () => {
    expect(chunks.some((chunk) => chunk.text.trim() === "SCHEDULE 1\n\nRegulation 16")).toBe(false);
    expect(passage("1. A statement of the range")?.text.startsWith("SCHEDULE 1")).toBe(true);
  });

  it("takes a title printed as a paragraph, and the next schedule ends the last", () => {
    expect(passage("1. Proof of identity")?.headingPath).toEqual([
      "SCHEDULE 2 — Information required in respect of persons seeking to carry on, manage or work at a children's home (Regulations 26, 28, and 32)",
    ]);
  });

  it("reads a numbered paragraph leading into its list as a paragraph, not a heading", () => {
    const lead = passage("14. Details of any healthcare");
    expect(lead?.headingPath).toEqual([scheduleOne, "Health"]);
    expect(passage("(a) details of the qualifications")?.headingPath).toEqual([scheduleOne, "Health"]);
  });

  it("leaves a document without divisions as its headings say", () => {
    const plain = chunkDocument(
      pdf([
        [
          { kind: "heading", level: 1, text: "Sufficiency duty" },
          { kind: "heading", level: 2, text: "1. Introduction" },
          { kind: "paragraph", text: "The council must take steps to secure sufficient accommodation." },
        ],
      ]),
    );
    expect(plain.chunks[0]?.headingPath).toEqual(["Sufficiency duty", "1. Introduction"]);
  });

  it("reads its words and patterns from document-structure.json, and refuses a pattern that is not one", () => {
    const shipped = JSON.parse(readFileSync(new URL("./document-structure.json", import.meta.url), "utf8")) as Record<string, unknown>;
    expect(documentStructureSchema.safeParse(shipped).success).toBe(true);
    const broken = documentStructureSchema.safeParse({ ...shipped, listLeadIn: "([" });
    expect(broken.success).toBe(false);
    expect(broken.error?.issues[0]?.path).toEqual(["listLeadIn"]);
  });
});
