/** LA market intelligence over the shared library: exact figures, pages and verbatim quotes. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerFixture } from "../answer/answer-fixture.ts";
import { libraryFixture } from "../answer/answer-fixture.ts";
import { figureFields } from "./figures.ts";
import type { AuthorityComparison, ComparisonFigure, LocalAuthorityProfile } from "./la-profiles.ts";
import { buildLaProfile, buildLaProfiles, compareAuthorities, comparisonCsv, comparisonMarkdown } from "./la-profiles.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const nottinghamshireFile = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";
const cambridgeshireFile = "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";

function figure(profile: LocalAuthorityProfile | undefined, field: string): { value: string; date: string | null; file: string; page: number | null; quote: string } {
  const found = profile?.figures.find((candidate) => candidate.field === field);
  if (!found) throw new Error(`no ${field} in ${profile?.name ?? "(no profile)"}`);
  return found;
}

describe.skipIf(withoutCorpus())("LA profiles from the shared library", () => {
  let fixture: AnswerFixture;
  let comparison: AuthorityComparison;

  beforeAll(async () => {
    fixture = await libraryFixture();
    comparison = compareAuthorities(await buildLaProfiles(fixture.store));
  }, 120_000);

  it("finds Nottinghamshire's children in care, its date and its placement mix on page 4", async () => {
    const profile = await buildLaProfile(fixture.store, "Nottinghamshire");
    const count = figure(profile, "children_in_care");
    expect(count).toMatchObject({ value: "953", date: "July 31st 2022", file: nottinghamshireFile, page: 4 });
    expect(count.quote).toContain("Of our 953 children (at July 31st 2022)");
    const mix: [string, string][] = [
      ["placement_fostering_percent", "55.2%"],
      ["placement_residential_percent", "17.1%"],
      ["placement_semi_independent_percent", "11.5%"],
      ["placement_kinship_percent", "8.8%"],
    ];
    for (const [field, value] of mix) {
      const found = figure(profile, field);
      expect(found, field).toMatchObject({ value, file: nottinghamshireFile, page: 4, date: "July 31st 2022" });
      expect(found.quote).toContain(value);
    }
  });

  it("reads Nottinghamshire's table rows, UASC and action plan with their pages", async () => {
    const profile = await buildLaProfile(fixture.store, "notts");
    expect(figure(profile, "out_of_area_placements")).toMatchObject({ value: "58.8% (290)", page: 5, quote: "% of OLA placements that are outside the D2N2 footprint | 58.8% | 290" });
    expect(figure(profile, "placement_ifa_percent")).toMatchObject({ value: "57.7% (303)", page: 5 });
    expect(figure(profile, "unaccompanied_asylum_seeking_children")).toMatchObject({ value: "42 (4.4%)", page: 4 });
    expect(figure(profile, "children_with_disability_percent")).toMatchObject({ value: "6.2%", page: 4 });
    const leads = profile?.figures.filter((candidate) => candidate.field === "action_plan_leads") ?? [];
    expect(leads.find((lead) => lead.value.startsWith("For the current West View"))).toMatchObject({
      value: "For the current West View to become a 4-bedded learning disability and autism specialist home — David Andrews Devon Allen",
      date: "By 2024",
      page: 15,
    });
    const planned = profile?.figures.filter((candidate) => candidate.field === "planned_provision").map((candidate) => candidate.value) ?? [];
    expect(planned.some((value) => value.includes("two further two-bedded homes"))).toBe(true);
    const commissioning = profile?.figures.filter((candidate) => candidate.field === "commissioning_intentions") ?? [];
    expect(commissioning.some((candidate) => candidate.value.includes("break in 2024") && candidate.page === 11)).toBe(true);
  });

  it("takes Cambridgeshire's weekly unit costs from its own column of the page 4 table", async () => {
    const profile = await buildLaProfile(fixture.store, "Cambridgeshire");
    const costs: [string, string, string][] = [
      ["unit_cost_in_house_residential_weekly", "£2,278", "In-house Residential Children's Homes | £2,278 per week | £2,611 per week"],
      ["unit_cost_external_residential_weekly", "£3,290", "External Residential Children's Homes | £3,290 per week | £2,774 per week"],
      ["unit_cost_in_house_fostering_weekly", "£460", "In-house Foster Care | £460 per week | £432 per week"],
      ["unit_cost_ifa_weekly", "£838", "External Foster Care (IFA) | £838 per week | £877 per week"],
    ];
    for (const [field, value, quote] of costs) {
      expect(figure(profile, field), field).toMatchObject({ value, page: 4, file: cambridgeshireFile, quote });
    }
    expect(figure(profile, "average_weekly_cost_per_child")).toMatchObject({ value: "£1,074", page: 4, date: "2010" });
    expect(figure(profile, "children_in_care")).toMatchObject({ value: "around 500", date: "2010/11", page: 4 });
    expect(figure(profile, "children_with_disability_percent")).toMatchObject({ value: "11%", page: 15 });
  });

  it("marks what no document states as not found, never a guess", async () => {
    const cambridgeshire = await buildLaProfile(fixture.store, "Cambridgeshire");
    // Its placement mix is a diagram without figures on page 4.
    expect(cambridgeshire?.figures.some((candidate) => candidate.field === "placement_residential_percent")).toBe(false);
    const somerset = comparison.authorities.find((authority) => authority.name === "Somerset");
    const children = somerset?.figures.find((candidate) => candidate.field === "children_in_care");
    expect(children).toEqual({ field: "children_in_care", value: "not found", date: null, file: "", page: null, quote: "" });
  });

  it("compares every authority over the same fields in the --json shape", async () => {
    expect(comparison.authorities.map((authority) => authority.name)).toEqual(["Cambridgeshire", "Nottinghamshire", "Somerset"]);
    const fieldsOf = (figures: ComparisonFigure[]): string[] => [...new Set(figures.map((candidate) => candidate.field))];
    for (const authority of comparison.authorities) {
      expect(Object.keys(authority)).toEqual(["name", "figures"]);
      expect(fieldsOf(authority.figures)).toEqual([...figureFields]);
      for (const candidate of authority.figures) expect(Object.keys(candidate)).toEqual(["field", "value", "date", "file", "page", "quote"]);
    }
  });

  it("renders the comparison as Markdown and CSV with pages", async () => {
    const markdown = comparisonMarkdown(comparison);
    expect(markdown.split("\n")[0]).toBe("| Figure | Cambridgeshire | Nottinghamshire | Somerset |");
    expect(markdown).toContain(`£2,278 — ${cambridgeshireFile}, p. 4`);
    expect(markdown).toContain(`953 (July 31st 2022) — ${nottinghamshireFile}, p. 4`);
    expect(markdown).toContain("*not found*");
    const csv = comparisonCsv(comparison);
    expect(csv.split("\n")[0]).toBe("authority,field,label,value,date,file,page,quote");
    expect(csv).toContain(`Cambridgeshire,unit_cost_ifa_weekly,Weekly unit cost: IFA / external fostering,£838,,${cambridgeshireFile},4,`);
  });
});
