/**
 * End-to-end: the strategy toolkit through the real CLI — profile, templates, draft (to a session and a file),
 * la profile / compare, tag — over the corpus library.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";

interface Comparison {
  authorities: { name: string; figures: { field: string; value: string; date: string | null; file: string; page: number | null; quote: string }[] }[];
}

describe.skipIf(withoutCorpus())("hearth profile, templates, draft, la and tag", () => {
  const data = temporaryDirectory();
  const output = temporaryDirectory("hearth-draft-");

  beforeAll(async () => {
    const run = await runHearth(["ingest", corpus("library")], { data, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it("keeps the profile and drafts the LA email with it, into a session and a report", async () => {
    for (const args of [
      ["profile", "set", "name", "Lumen", "Way", "Homes"],
      ["profile", "set", "provision-type", "an independent therapeutic provision"],
      ["profile", "set", "signature", "Alex Morgan\\nResponsible Individual"],
    ]) {
      const run = await runHearth(args, { data });
      expect(run.code, run.stderr).toBe(0);
    }
    const bad = await runHearth(["profile", "set", "email", "nope"], { data });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hearth: profile email: /);
    const shown = await runHearth(["profile", "show", "--json"], { data });
    expect(JSON.parse(shown.stdout)).toEqual({ profile: { name: "Lumen Way Homes", provisionType: "an independent therapeutic provision", signature: "Alex Morgan\nResponsible Individual" } });

    const drafted = await runHearth(["draft", "la-commissioner-email", "--la", "Nottinghamshire", "--session", "Notts", "--json"], { data });
    expect(drafted.code, drafted.stderr).toBe(0);
    const email = JSON.parse(drafted.stdout) as { answer: string; citations: { file: string; page: number | null }[] };
    expect(email.answer).toContain("Introducing Lumen Way Homes");
    expect(email.answer).toContain("Alex Morgan\nResponsible Individual");
    expect(email.citations.some((citation) => citation.file.startsWith("Nottinghamshire") && citation.page !== null)).toBe(true);

    const report = await runHearth(["report", "Notts"], { data });
    expect(report.stdout).toContain("Alex Morgan");
    expect(report.stdout).toMatch(/- File: Nottinghamshire Sufficiency and Commissioning Strategy 2023-25\.pdf, Page: \d+/);

    const file = join(output, "email.md");
    const written = await runHearth(["draft", "la-commissioner-email", "--la", "Notts", "-o", file], { data });
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("Dear Nottinghamshire commissioning team,");
  });

  it("drafts the seed's request when it is asked in hearth ask, into the session, signed from the profile", async () => {
    const seed =
      "Can you draft an email to send to a local authority that I havee previously worked with at another organisation, could you introduce Lumen Way Homes ITP and ask whether they are struggling with any referrals that are experience persistent placement breakdowns";
    const asked = await runHearth(["ask", "--json", "--session", "Outreach", seed], { data });
    expect(asked.code, asked.stderr).toBe(0);
    const answer = JSON.parse(asked.stdout) as { question: string; answer: string; citations: { n: number; file: string; page: number | null }[]; mode: string; notes: string[] };
    expect(answer.question).toBe(seed);
    expect(answer.mode).toBe("extractive");
    expect(answer.answer).toMatch(/^Draft: Email introducing the organisation to an LA commissioner/);
    expect(answer.answer).toContain("Dear [the local authority] commissioning team,");
    expect(answer.answer).toContain("We would particularly like to discuss whether you are struggling with any referrals");
    expect(answer.answer).toContain("Alex Morgan\nResponsible Individual");
    // Hearth's notes stay out of the email's text.
    expect(answer.answer).not.toContain("Note:");
    expect(answer.notes.join(" ")).toContain('Name the local authority in your question (for example "to Nottinghamshire")');
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const citation of answer.citations) expect(answer.answer).toContain(`[${citation.n}]`);
    const report = await runHearth(["report", "Outreach"], { data });
    expect(report.stdout).toContain(`## QUESTION\n${seed}`);
    // A question about emails is still a question.
    const question = await runHearth(["ask", "--json", "What should a statement of purpose include?"], { data });
    expect((JSON.parse(question.stdout) as { answer: string }).answer).not.toMatch(/^Draft:/);
  });

  it("lists templates and refuses an unknown one", async () => {
    const listed = await runHearth(["templates"], { data });
    expect(listed.stdout).toContain("la-commissioner-email  v1  Email introducing the organisation to an LA commissioner  [--la (required) --about]");
    const unknown = await runHearth(["draft", "press-release"], { data });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no template called "press-release"');
  });

  it("compares authorities as JSON with the same fields, and as Markdown", async () => {
    const run = await runHearth(["la", "compare", "--json"], { data });
    expect(run.code, run.stderr).toBe(0);
    const comparison = JSON.parse(run.stdout) as Comparison;
    const names = comparison.authorities.map((authority) => authority.name);
    expect(names).toContain("Nottinghamshire");
    expect(names).toContain("Cambridgeshire");
    const fields = (name: string): string[] => [...new Set(comparison.authorities.find((authority) => authority.name === name)?.figures.map((figure) => figure.field))];
    expect(fields("Nottinghamshire")).toEqual(fields("Cambridgeshire"));
    const cambridgeshire = comparison.authorities.find((authority) => authority.name === "Cambridgeshire");
    expect(cambridgeshire?.figures.find((figure) => figure.field === "unit_cost_external_residential_weekly")).toMatchObject({ value: "£3,290", page: 4 });
    const markdown = await runHearth(["la", "compare", "Nottinghamshire", "Cambridgeshire"], { data });
    expect(markdown.stdout.split("\n")[0]).toBe("| Figure | Cambridgeshire | Nottinghamshire |");
    const profile = await runHearth(["la", "profile", "Nottinghamshire"], { data });
    expect(profile.stdout).toContain("Children in care:\n  - 953 (July 31st 2022) — Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf, p. 4");
    const missing = await runHearth(["la", "profile", "Leeds"], { data });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the library holds no document about "Leeds"');
  });

  it("tags a document's authority and date", async () => {
    const file = "Somerset Homes and Horizons Members Briefing.pptx";
    const before = await runHearth(["tag", file], { data });
    expect(before.stdout.split("\n")[0]).toBe(`${file}: LA strategy, no date (guessed)`);
    const tagged = await runHearth(["tag", file, "--authority", "market research", "--date", "2022"], { data });
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stdout.split("\n")[0]).toBe(`${file}: market research / data, 2022 (tagged)`);
    const bad = await runHearth(["tag", file, "--authority", "rumour"], { data });
    expect(bad.code).toBe(2);
  });
});
