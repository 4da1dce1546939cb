/** Figure extraction from sentences and table rows of made-up pages, including what must not be taken. */
import { describe, expect, it } from "vitest";
import { extractFigures, findDate } from "./figures.ts";
import { pagePieces } from "./page-pieces.ts";
import { documentLocalAuthority, findLocalAuthorities, resolveLocalAuthority } from "./local-authority-names.ts";

function figuresOf(text: string, page = 3): ReturnType<typeof extractFigures> {
  return extractFigures(pagePieces({ index: 0, page, section: null, text }));
}

describe("figure extraction", () => {
  it("reads dates as written", () => {
    expect(findDate("Of our 953 children (at July 31st 2022) 55.2%")).toBe("July 31st 2022");
    expect(findDate("On the 31 March 2008 there were 769 children")).toBe("31 March 2008");
    expect(findDate("to around 500 in 2010/11")).toBe("2010/11");
    expect(findDate("Current Position (July 2022)")).toBe("July 2022");
    expect(findDate("no date here")).toBeNull();
  });

  it("counts children in care and ignores other populations and changes", () => {
    expect(figuresOf("On 31 March 2024 there were 1,204 children looked after by Exampleshire.")).toEqual([
      { field: "children_in_care", value: "1,204", date: "31 March 2024", page: 3, quote: "On 31 March 2024 there were 1,204 children looked after by Exampleshire." },
    ]);
    expect(figuresOf("There were 310 children in need of help in care proceedings.").filter((figure) => figure.field === "children_in_care")).toEqual([]);
    expect(figuresOf("The number of children in care has increased by more than 100 children since 2007.")).toEqual([]);
    expect(figuresOf("The local authority is currently caring for 1,827 children.").map((figure) => [figure.field, figure.value])).toEqual([["children_in_care", "1,827"]]);
    expect(figuresOf("Also, there are over 1,200 children in care who live in Kent who were placed from elsewhere in the country.")).toEqual([]);
  });

  it("classifies a placement mix by the words next to each percentage", () => {
    const figures = figuresOf("Of our 400 children in care, 60% are in foster care, 12.5% are in residential care and 9% live with relatives.");
    expect(figures.map((figure) => [figure.field, figure.value])).toEqual([
      ["children_in_care", "400"],
      ["placement_fostering_percent", "60%"],
      ["placement_residential_percent", "12.5%"],
      ["placement_kinship_percent", "9%"],
    ]);
    // A rise is not a share; a residential school is not a children's home.
    expect(figuresOf("Residential placements rose by 20% in a year.")).toEqual([]);
    expect(figuresOf("A few are in residential schools (2%).")).toEqual([]);
  });

  it("takes weekly costs from the LA's column of a table, not the comparator", () => {
    const page = [
      "Unit costs",
      "Type of Placement | Exampleshire Unit Cost | Average Unit Cost",
      "In-house Residential Children's Homes | £3,100 per week | £2,900 per week",
      "Independent Fostering Agency | £910 per week | £880 per week",
      "Residential (annual) | £150,000 | £140,000",
    ].join("\n");
    expect(figuresOf(page).map((figure) => [figure.field, figure.value, figure.quote])).toEqual([
      ["unit_cost_in_house_residential_weekly", "£3,100", "In-house Residential Children's Homes | £3,100 per week | £2,900 per week"],
      ["unit_cost_ifa_weekly", "£910", "Independent Fostering Agency | £910 per week | £880 per week"],
    ]);
  });

  it("reads leads and deadlines from an action plan table", () => {
    const page = ["Action Plan", "Desired Outcome | Action(s) | Who | When?", "Open a new two-bedded home | Buy a property | Jo Bloggs | March 2025", "Continued row |  |  | "].join("\n");
    const leads = figuresOf(page).filter((figure) => figure.field === "action_plan_leads");
    expect(leads).toEqual([
      { field: "action_plan_leads", value: "Open a new two-bedded home — Jo Bloggs", date: "March 2025", page: 3, quote: "Open a new two-bedded home | Buy a property | Jo Bloggs | March 2025" },
    ]);
    expect(figuresOf(page).some((figure) => figure.field === "planned_provision" && figure.value === "Open a new two-bedded home")).toBe(true);
  });

  it("reads a slide's short bullets about planned homes and contract length", () => {
    const slide = figuresOf("What will it look like?\n\nUp to 10 children's homes\nHigh needs fostering\n\n10 year contract\nProperty owned by SCC", 5);
    expect(slide.map((figure) => [figure.field, figure.value, figure.page])).toEqual([
      ["planned_provision", "Up to 10 children's homes", 5],
      ["commissioning_intentions", "10 year contract", 5],
    ]);
  });

  it("finds the one LA a document is about", () => {
    expect(findLocalAuthorities("Nottinghamshire and Nottingham City, with North Somerset")).toEqual(["Nottinghamshire", "Nottingham", "North Somerset"]);
    expect(resolveLocalAuthority("notts")).toBe("Nottinghamshire");
    expect(resolveLocalAuthority("Nottinghamshire County Council")).toBe("Nottinghamshire");
    expect(documentLocalAuthority({ fileName: "ofsted-ilacs_dorset_09-may-2025.pdf", title: "LA NAME", opening: "" })).toBe("Dorset");
    expect(documentLocalAuthority({ fileName: "report.pdf", title: "Needs assessment of looked after children in West Sussex", opening: "" })).toBe("West Sussex");
    // A data set naming many authorities is about none of them.
    expect(documentLocalAuthority({ fileName: "cla.csv", title: null, opening: "Hartlepool 332, Middlesbrough 493, Darlington 266" })).toBeUndefined();
    expect(documentLocalAuthority({ fileName: "The Children's Home (England) regulations 2015.pdf", title: null, opening: "" })).toBeUndefined();
  });
});
