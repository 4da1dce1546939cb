/**
 * What a new user trips on first: `--image` before the question, an empty library, plurals, dates people read,
 * and profile field names spelt as the README spells them. In-process through `runHearth`; no corpus needed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProfileForCli, kebabFieldName } from "../src/cli/profile-command.ts";
import { count, humanDate } from "../src/cli/wording.ts";
import type { FakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../src/providers/testing/fake-model-server.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const strategy = "# Northshire Placement Strategy\n\nThe weekly cost of an in-house residential placement is £2,278 per week.\n";
/** The first bytes of a PNG: enough for Hearth to recognise the format. */
const pngBytes = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("hearth for a newcomer", () => {
  const data = temporaryDirectory();
  const documents = temporaryDirectory("hearth-docs-");

  beforeAll(async () => {
    writeFileSync(join(documents, "Northshire Placement Strategy.md"), strategy);
  });

  it("asking an empty library says how to add documents", async () => {
    const empty = temporaryDirectory();
    const ask = await runHearth(["ask", "What is the weekly cost?"], { data: empty });
    expect(ask.code).toBe(0);
    expect(ask.stderr).toContain("hearth: the library is empty. Add documents first: hearth ingest <folder or files>");
    const search = await runHearth(["search", "--json", "weekly cost"], { data: empty });
    expect(JSON.parse(search.stdout)).toEqual({ results: [] });
    expect(search.stderr).toContain("hearth ingest <folder or files>");
  });

  it("ingest counts in good English: one part, one passage", async () => {
    const run = await runHearth(["ingest", documents], { data });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ingested {2}Northshire Placement Strategy\.md \(1 part, 1 passage, [\d.]+ s\)$/m);
    expect(run.stdout).not.toMatch(/\b1 (?:parts|passages)\b/);
    const list = await runHearth(["list"], { data });
    // Each document's line is followed by what is known of its author and subject (read from it, or tagged).
    expect(list.stdout).toMatch(/\[markdown, 1 part, 1 passage\]\n {8}.+\n1 document; /);
    // Once there is something in the library the hint is gone.
    const ask = await runHearth(["ask", "What is the weekly cost of an in-house residential placement?"], { data });
    expect(ask.stderr).toBe("");
    expect(ask.stdout).toContain("£2,278 per week");
  });

  it("sessions show when they were last used in words, not an ISO timestamp", async () => {
    await runHearth(["ask", "--session", "Board briefing", "What is the weekly cost?"], { data });
    const run = await runHearth(["sessions"], { data });
    expect(run.stdout).toMatch(/^Board briefing {2}\(1 exchange, last today at \d\d:\d\d\)$/m);
    expect(run.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it("profile fields are kebab-case as in the README; camelCase is accepted too", async () => {
    const kebab = await runHearth(["profile", "set", "provision-type", "Independent therapeutic children's homes"], { data });
    expect(kebab.code).toBe(0);
    const camel = await runHearth(["profile", "set", "contactRole", "Responsible Individual"], { data });
    expect(camel.code).toBe(0);
    const show = await runHearth(["profile", "show"], { data });
    expect(show.stdout).toMatch(/^provision-type +Independent therapeutic children's homes$/m);
    expect(show.stdout).toMatch(/^contact-role +Responsible Individual$/m);
    expect(show.stdout).not.toMatch(/provisionType|contactRole/);
    const help = await runHearth(["profile", "set", "--help"], { data });
    expect(help.stdout).toMatch(/^ {2}therapeutic-model +therapeutic model/m);
    const unknown = await runHearth(["profile", "set", "bogusField", "x"], { data });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown profile field "bogusField"; fields: name, provision-type, locations');
    // JSON keeps the API's camelCase keys.
    const json = JSON.parse((await runHearth(["profile", "show", "--json"], { data })).stdout) as { profile: Record<string, unknown> };
    expect(json.profile).toMatchObject({ provisionType: "Independent therapeutic children's homes", contactRole: "Responsible Individual" });
  });

  describe("ask --image with a model that accepts photos", () => {
    let chat: FakeModelServer;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      chat = await startFakeModelServer("openai");
      chat.respond = () => "The weekly cost of an in-house residential placement is £2,278 per week [1].";
      env = { HEARTH_LLM_PROVIDER: "openai", HEARTH_LLM_BASE_URL: chat.url, HEARTH_LLM_MODEL: "vision-model", HEARTH_LLM_IMAGES: "true", HEARTH_LLM_MAX_RETRIES: "0" };
    });
    afterAll(async () => chat.close());

    it("takes one path per --image and leaves the question positional", async () => {
      const photo = join(documents, "..", `bedroom-${Date.now()}.png`);
      writeFileSync(photo, pngBytes);
      const run = await runHearth(["ask", "--image", photo, "What is the weekly cost of an in-house residential placement?"], { data, env });
      expect(run.stderr).not.toContain("missing required argument");
      expect(run.code).toBe(0);
      const sent = JSON.stringify(chat.requests.at(-1)?.body);
      expect(sent).toContain("What is the weekly cost of an in-house residential placement?");
      expect(sent.match(/data:image\/png;base64/g)).toHaveLength(1);
    });

    it("repeats --image for several photos", async () => {
      const photo = join(documents, "..", `kitchen-${Date.now()}.png`);
      writeFileSync(photo, pngBytes);
      const run = await runHearth(["ask", "--image", photo, "--image", photo, "Is the kitchen suitable?"], { data, env });
      expect(run.code).toBe(0);
      expect(JSON.stringify(chat.requests.at(-1)?.body).match(/data:image\/png;base64/g)).toHaveLength(2);
    });
  });
});

describe("CLI wording", () => {
  it("counts with the right plural", () => {
    expect(count(1, "part")).toBe("1 part");
    expect(count(0, "passage")).toBe("0 passages");
    expect(count(2, "authority", "authorities")).toBe("2 authorities");
  });

  it("writes dates as people read them", () => {
    const now = new Date(2026, 10, 23, 15, 0);
    expect(humanDate(new Date(2026, 10, 23, 9, 5).toISOString(), now)).toBe("today at 09:05");
    expect(humanDate(new Date(2026, 10, 22, 18, 30).toISOString(), now)).toBe("yesterday at 18:30");
    expect(humanDate(new Date(2026, 2, 3, 8, 0).toISOString(), now)).toBe("3 Mar 2026 at 08:00");
    expect(humanDate("not a date", now)).toBe("not a date");
  });

  it("shows profile fields kebab-case", () => {
    expect(kebabFieldName("therapeuticModel")).toBe("therapeutic-model");
    expect(formatProfileForCli({ name: "Lumen Way", locations: ["Leeds", "York"] }, ["name", "locations", "contactName"])).toBe(
      "name          Lumen Way\nlocations     Leeds, York\ncontact-name  (not set)\n",
    );
  });
});
