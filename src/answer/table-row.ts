/**
 * A table row as a reader needs it: each cell with its column's name ("Role: Chair"), the row's own label first.
 * The header cell above the row labels often names the table's moment rather than the labels ("Current Position
 * (July 2022)"); shown as the label's name it would mislabel the row, so the label stands alone and the moment
 * follows the row. The layout rules are in table-row.json beside this file.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";

const rowRules = z
  .object({ maximumNameLength: z.number().int().min(1), dataCell: z.string().min(1), yearName: z.string().min(1), period: z.string().min(1) })
  .transform((rules) => ({
    maximumNameLength: rules.maximumNameLength,
    dataCell: new RegExp(rules.dataCell, "u"),
    yearName: new RegExp(rules.yearName, "u"),
    period: new RegExp(rules.period, "iu"),
  }))
  .parse(JSON.parse(readFileSync(new URL("./table-row.json", import.meta.url), "utf8")));

export const cellSeparator = " | ";

const tidy = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Whether a header cell can name its column: short, and not data itself (a year names a column of figures). */
function isColumnName(name: string): boolean {
  return name.length <= rowRules.maximumNameLength && (!rowRules.dataCell.test(name) || rowRules.yearName.test(name));
}

/**
 * Whether a table's first line can be its header: no cell is a sentence too long to name a column. A glossary table without a
 * header row ("Responsible Individual (RI) | If the registered provider is an organisation, they must appoint ...")
 * opens with a row of data, which is an answer itself and names no columns.
 */
export function canBeHeader(line: string): boolean {
  // A long column name is still a name; a long cell that ends a sentence is an entry.
  return line.split(cellSeparator).every((cell) => tidy(cell).length <= rowRules.maximumNameLength || !/[.!?]["'”’)]?$/u.test(tidy(cell)));
}

/** A row line shown with its column names: "Type of Placement: In-house ...; Cambridgeshire Unit Cost: £2,278". */
export function renderRow(header: string | null, row: string): string {
  const cells = row.split(cellSeparator).map(tidy);
  const names = header ? header.split(cellSeparator).map(tidy) : [];
  const usable = names.length === cells.length && names.every(isColumnName);
  if (!usable) return cells.filter((cell) => cell.length > 0).join("; ");
  const labelHeading = names[0] ?? "";
  const label = cells[0] ?? "";
  // "% of OLA placements ... | 58.8% | 290" under "Current Position (July 2022) | As Percentage | ...": the label is
  // the row's name and the period when its figures were taken.
  const periodAboveLabels =
    cells.length > 1 && /\p{L}/u.test(label) && !rowRules.dataCell.test(label) && rowRules.period.test(labelHeading) && !rowRules.period.test(label);
  const shown = cells
    .map((cell, index) => {
      const name = names[index] ?? "";
      if (cell.length === 0) return "";
      if (index === 0 && periodAboveLabels) return cell;
      return name.length > 0 && name !== cell ? `${name}: ${cell}` : cell;
    })
    .filter((part) => part.length > 0)
    .join("; ");
  return periodAboveLabels ? `${shown} (${labelHeading})` : shown;
}
