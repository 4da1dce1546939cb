import { describe, expect, it } from "vitest";
import { tableLabel } from "./figures.ts";

describe("tableLabel", () => {
  it("keeps a row's own label when it measures something narrower than the field's name", () => {
    expect(tableLabel("out_of_area_placements", "% of OLA placements that are outside the D2N2 footprint | 58.8% | 290")).toBe(
      "% of OLA placements that are outside the D2N2 footprint",
    );
  });

  it("adds nothing when the label restates the field, or the figure came from a sentence", () => {
    expect(tableLabel("unit_cost_in_house_residential_weekly", "In-house residential | £2,278")).toBeNull();
    expect(tableLabel("unit_cost_external_residential_weekly", "External Residential Children's Homes | £3,290 per week | £2,611 per week")).toBeNull();
    expect(tableLabel("out_of_area_placements", "58.8% of our placements are out of area.")).toBeNull();
  });
});
