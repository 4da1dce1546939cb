/**
 * `hearth draft` keeps Hearth's own notes (here: a source that may be out of date) out of the drafted email's text:
 * printed under the draft and its sources, as `hearth ask` prints them, and carried in `--json` as `notes`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";

const strategy = "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf";

describe.skipIf(withoutCorpus())("hearth draft's notes", () => {
  const data = temporaryDirectory();

  beforeAll(async () => {
    const run = await runHearth(["ingest", corpus(`library/${strategy}`)], { data, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it("prints an LA email's notes after the draft, never inside its text, and --json carries them", async () => {
    const json = await runHearth(["draft", "la-commissioner-email", "--la", "Cambridgeshire", "--json"], { data });
    expect(json.code, json.stderr).toBe(0);
    const email = JSON.parse(json.stdout) as { answer: string; notes: string[] };
    expect(email.answer).toContain("Cambridgeshire");
    expect(email.answer).not.toMatch(/^\s*Note:/m);
    expect(email.answer).not.toContain("may be out of date");
    expect(email.notes).toContainEqual(expect.stringMatching(/^Cambridgeshire Placement Strategy for Looked After Children 2011-2015\.pdf .*may be out of date/));

    const text = await runHearth(["draft", "la-commissioner-email", "--la", "Cambridgeshire"], { data });
    expect(text.code, text.stderr).toBe(0);
    const notesAt = text.stdout.indexOf("\nNotes:\n");
    expect(notesAt).toBeGreaterThan(text.stdout.indexOf("Sources:"));
    expect(text.stdout.slice(notesAt)).toMatch(/- Cambridgeshire Placement Strategy .*may be out of date/);
    expect(text.stdout.slice(0, notesAt)).not.toContain("may be out of date");
  });
});
