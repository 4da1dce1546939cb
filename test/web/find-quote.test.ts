import { describe, expect, it } from "vitest";
import { findQuote } from "../../web/src/find-quote.ts";

const table = [
  "Type of Placement\tCambridgeshire Unit Cost\tAverage Unit Cost",
  "In-house Residential Children's Homes\t£2,278 per week\t£2,611 per week",
  "External Residential Children's Homes\t£3,290 per week\t£2,774 per week",
].join("\n");

describe("findQuote", () => {
  it("finds a quote exactly or across changed whitespace", () => {
    expect(findQuote("a b  c d", "b c")).toEqual({ start: 2, end: 6 });
    expect(findQuote("nothing here", "absent")).toBeUndefined();
  });

  it("finds a table row's quote as its row, whatever separates the cells", () => {
    const found = findQuote(table, "External Residential Children's Homes | £3,290 per week | £2,774 per week");
    expect(found).toBeDefined();
    expect(table.slice(found?.start, found?.end)).toBe("External Residential Children's Homes\t£3,290 per week\t£2,774 per week");
    // Never across rows.
    expect(findQuote(table, "Average Unit Cost | In-house Residential Children's Homes")).toBeUndefined();
  });
});
