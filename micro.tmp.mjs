// node micro.tmp.mjs: structured text of all 506 pages kept, then the conversion alone, JSON path vs reader, 6 rounds alternated.
import "./dist/loaders/mupdf-module.js";
import * as mupdf from "mupdf";
import fs from "node:fs";
const { pageTextFromJson } = await import("./dist/loaders/pdf-layout.js");
const { pageTextFromStructuredText } = await import("./dist/loaders/pdf-stext-reader.js");
const { mupdfModule } = await import("./dist/loaders/mupdf-module.js");
const { module } = mupdfModule();
const doc = mupdf.Document.openDocument(fs.readFileSync("/tmp/w10/big.pdf"), "application/pdf");
const pages = [];
for (let i = 0; i < doc.countPages(); i++) pages.push(doc.loadPage(i).toStructuredText("preserve-whitespace,preserve-images"));
const cpu = (fn) => { const t = process.cpuUsage(); fn(); const u = process.cpuUsage(t); return (u.user + u.system) / 1000; };
const json = [], direct = [];
for (let round = 0; round < 6; round++) {
  json.push(cpu(() => pages.forEach((s, i) => pageTextFromJson(s.asJSON(), i + 1, 595, 842))));
  direct.push(cpu(() => pages.forEach((s, i) => pageTextFromStructuredText(module, s.pointer, i + 1, 595, 842))));
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log("JSON path ms:", json.map((x) => x.toFixed(0)).join(" "), "median", med(json).toFixed(0));
console.log("reader ms:   ", direct.map((x) => x.toFixed(0)).join(" "), "median", med(direct).toFixed(0));
