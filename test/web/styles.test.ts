/**
 * The web app's style sheet parses cleanly. A rule left unclosed is not an error to the build (it only prints a
 * warning), but every rule after it becomes nested under it and stops applying where it should: the Ask page's
 * answer styles were once nested under `.content form` this way.
 */
import { readFileSync } from "node:fs";
import { transformWithEsbuild } from "vite";
import { describe, expect, it } from "vitest";

const styles = new URL("../../web/src/styles.css", import.meta.url);

describe("the web app's style sheet", () => {
  it("has no syntax warnings (every rule closed)", async () => {
    const result = await transformWithEsbuild(readFileSync(styles, "utf8"), "styles.css", { loader: "css", minify: true });
    expect(result.warnings.map((warning) => warning.text)).toEqual([]);
  });

  it("is checked by a parser that reports an unclosed rule", async () => {
    const broken = ".content form {\n  min-width: 0;\n\n.answer .resolved-question {\n  color: red;\n}\n";
    const result = await transformWithEsbuild(broken, "broken.css", { loader: "css", minify: true });
    expect(result.warnings.map((warning) => warning.text)).toContain('Expected "}" to go with "{"');
  });
});
