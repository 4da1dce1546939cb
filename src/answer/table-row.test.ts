import { describe, expect, it } from "vitest";
import { renderRow } from "./table-row.ts";

describe("renderRow", () => {
  it("names each cell by its column", () => {
    expect(renderRow("Name | Role", "Adrian Loades | Chair")).toBe("Name: Adrian Loades; Role: Chair");
    expect(renderRow(null, "In-house Foster Care | £460 per week")).toBe("In-house Foster Care; £460 per week");
  });

  it("does not name a row's label after the period heading its column, but says the period after the row", () => {
    const header = "Current Position (July 2022) | As Percentage | Actual Number of Young People";
    expect(renderRow(header, "% of OLA placements that are outside the D2N2 footprint | 58.8% | 290")).toBe(
      "% of OLA placements that are outside the D2N2 footprint; As Percentage: 58.8%; Actual Number of Young People: 290 (Current Position (July 2022))",
    );
    expect(renderRow("2023/24 | Homes | Places", "Kent | 12 | 48")).toBe("Kent; Homes: 12; Places: 48 (2023/24)");
  });

  it("keeps year columns as column names, and a data row taken for a header is no header", () => {
    expect(renderRow("Area | 2021 | 2022/23", "Kent | 1,850 | 1,920")).toBe("Area: Kent; 2021: 1,850; 2022/23: 1,920");
    expect(renderRow("% of children fostered by a relative or friend | 9.1% | 84", "% of foster placements that are external | 57.7% | 303")).toBe(
      "% of foster placements that are external; 57.7%; 303",
    );
  });
});
