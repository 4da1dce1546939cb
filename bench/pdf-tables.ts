/**
 * `node --import tsx bench/pdf-tables.ts [--verbose]`: which tables the PDF layout pass finds in the shared corpus's
 * PDFs, and which of them are stored as typed tables (well formed: a header row, rows that fill the columns, a
 * column of numbers). Prints, per PDF, the tables found and kept, the reasons the others were skipped, and with
 * --verbose every kept table's page, header and first rows, so garbage can be spotted by eye.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loaderForFile } from "../src/loaders/registry.ts";
import { defaultLoadLimits } from "../src/loaders/types.ts";
import { dataTablesOf, pdfTableFault } from "../src/tables/infer-table.ts";
import { corpus } from "./question-sets.ts";

const { values: options } = parseArgs({ options: { verbose: { type: "boolean", default: false } } });

async function main(): Promise<void> {
  const folders = ["library", "real", "dev2/docs", "formats"].map((folder) => corpus(folder));
  const files = folders.flatMap((folder) => {
    try {
      return readdirSync(folder)
        .filter((name) => name.toLowerCase().endsWith(".pdf"))
        .map((name) => join(folder, name));
    } catch {
      return [];
    }
  });
  let found = 0;
  let kept = 0;
  const reasons = new Map<string, number>();
  for (const path of files) {
    const fileName = path.split("/").pop() ?? path;
    const loader = loaderForFile(fileName);
    if (!loader) continue;
    const loaded = await loader.load(new Uint8Array(readFileSync(path)), {
      path,
      fileName,
      limits: defaultLoadLimits,
      ocr: { enabled: false, command: "tesseract", language: "eng" },
    });
    if (!loaded.ok) continue;
    const blocks = loaded.value.units.flatMap((unit) => unit.blocks.filter((block) => block.kind === "table"));
    const tables = dataTablesOf(loaded.value);
    found += blocks.length;
    kept += tables.length;
    for (const block of blocks) {
      if (block.kind !== "table") continue;
      const fault = pdfTableFault(block);
      if (fault) reasons.set(fault, (reasons.get(fault) ?? 0) + 1);
    }
    console.log(`${fileName}: ${blocks.length} tables found, ${tables.length} kept`);
    if (options.verbose) {
      for (const table of tables) {
        const page = loaded.value.units[table.unitIndex]?.page;
        console.log(`  page ${page}: ${table.title ?? "(no caption)"}`);
        console.log(`    ${table.columns.map((column) => `${column.name} [${column.type}${column.unit ? ` ${column.unit}` : ""}]`).join(" | ")}`);
        for (const row of table.rows.slice(0, 3)) console.log(`    ${row.join(" | ")}`);
      }
    }
  }
  console.log(`\n${files.length} PDFs: ${found} tables found by the layout pass, ${kept} kept as typed tables`);
  console.log(`skipped: ${[...reasons.entries()].sort((left, right) => right[1] - left[1]).map(([reason, count]) => `${reason} ${count}`).join("; ")}`);
}

await main();
