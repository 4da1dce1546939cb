/**
 * Drafting with a language model, against a loopback server that speaks the OpenAI chat protocol: the model's
 * write-up is kept where the cited quotes support it, an invented figure is dropped, the signature survives, and a
 * failing model leaves the offline draft with a note saying why.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AnswerFixture } from "../answer/answer-fixture.ts";
import { libraryFixture } from "../answer/answer-fixture.ts";
import { passagesClose, passagesOpen } from "../answer/grounded-answerer.ts";
import { verifierOverLibrary } from "../../test/support/quote-verifier.ts";
import { setProfileField } from "../profile/organisation-profile.ts";
import { createOpenAICompatible } from "../providers/openai-compatible.ts";
import type { FakeModelServer } from "../providers/testing/fake-model-server.ts";
import { startFakeModelServer } from "../providers/testing/fake-model-server.ts";
import type { Answer } from "../answer/types.ts";
import { draftFromTemplate } from "./draft-engine.ts";
import { createDraftWriter, draftClose, draftDocument, draftOpen, draftSystemPrompt } from "./model-draft.ts";
import type { TaskTemplate } from "./template-schema.ts";
import { findTemplate, loadTemplateLibrary } from "./template-library.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const now = new Date("2026-06-01T12:00:00Z");
const signature = "Alex Morgan\nResponsible Individual, Lumen Way Homes";

function template(id: string): TaskTemplate {
  const found = findTemplate(loadTemplateLibrary(null), id);
  if (!found.ok) throw found.error;
  return found.value.template;
}

/** The quotes the model received, by number. */
function quotesIn(user: string): Map<number, string> {
  const quotes = new Map<number, string>();
  const block = user.slice(user.indexOf(passagesOpen) + passagesOpen.length, user.indexOf(passagesClose));
  for (const match of block.matchAll(/^\[(\d+)\] File: [^\n]*\n([^\n]*)/gm)) quotes.set(Number(match[1]), match[2]!);
  return quotes;
}

function numberOf(user: string, needle: RegExp): number {
  for (const [n, quote] of quotesIn(user)) if (needle.test(quote)) return n;
  throw new Error(`no quote matches ${String(needle)}`);
}

describe.skipIf(withoutCorpus())("drafting with a language model", () => {
  let fixture: AnswerFixture;
  let server: FakeModelServer;
  const writer = (redact = false) =>
    createDraftWriter({
      // Redaction is the model chain's (as createLanguageModel builds it for a cloud endpoint).
      model: createOpenAICompatible({ baseURL: server.url, model: "writer-model", maxRetries: 0, timeoutMs: 5_000, redact: redact ? { names: ["Alex Morgan"] } : false }),
    });
  const email = async (redact = false): Promise<Answer> => {
    const result = await draftDocument({ store: fixture.store, writer: writer(redact) }, { template: template("la-commissioner-email"), la: "Nottinghamshire", now });
    if (!result.ok) throw result.error;
    return result.value;
  };

  beforeAll(async () => {
    fixture = await libraryFixture();
    for (const [field, value] of [
      ["name", "Lumen Way Homes"],
      ["provisionType", "an independent therapeutic provision running small children's homes"],
      ["signature", signature.replace("\n", "\\n")],
    ] as const) {
      const result = await setProfileField(fixture.store, field, value);
      if (!result.ok) throw result.error;
    }
    server = await startFakeModelServer("openai");
  }, 120_000);

  afterAll(async () => {
    await server.close();
  });

  beforeEach(async () => {
    server.requests.length = 0;
    server.script.length = 0;
    // A model that writes the email up: prose around the cited figure, an uncited line from the profile, one
    // invented figure, and a sign-off without the signature.
    server.respond = ({ user }) => {
      const children = numberOf(user, /953/);
      return [
        "### Subject",
        "Introducing Lumen Way Homes: an independent therapeutic provision running small children's homes for children in Nottinghamshire",
        "",
        "Dear Nottinghamshire commissioning team,",
        "",
        "I am writing to introduce Lumen Way Homes, an independent therapeutic provision running small children's homes.",
        `Nottinghamshire had 953 children in care on July 31st 2022 [${children}].`,
        `Nottinghamshire plans 40 new residential homes next year [${children}].`,
        "",
        "Kind regards,",
      ].join("\n");
    };
  });

  it("keeps what the quotes and the draft support, drops an invented figure, keeps the signature, renumbers citations", async () => {
    const written = await email();
    expect(written.mode).toBe("llm");
    expect(written.answer).toContain("Nottinghamshire had 953 children in care on July 31st 2022 [1].");
    expect(written.answer).toContain("I am writing to introduce Lumen Way Homes, an independent therapeutic provision running small children's homes.");
    expect(written.answer).not.toContain("40 new residential homes");
    expect(written.answer).toContain(`Kind regards,\n\n${signature}`);
    // Hearth's notes are kept apart from the email's text.
    expect(written.answer).not.toMatch(/^Note:/m);
    expect(written.notes).toContainEqual(expect.stringContaining("Written by openai:writer-model from the cited evidence and checked against it. 1 sentence was left out"));
    expect(written.citations).toHaveLength(1);
    const citation = written.citations[0]!;
    expect(citation).toMatchObject({ n: 1, file: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf", page: 4 });
    const ids = new Map((await fixture.store.documents.list()).map((document) => [document.fileName, document.id]));
    expect((await verifierOverLibrary(fixture.store)).verify(ids.get(citation.file) ?? -1, citation.page, citation.quote)).not.toBeNull();
  });

  it("removes an invented claim about the provider, keeping a profile fact and a cited sentence (the draft rule)", async () => {
    server.respond = ({ user }) => {
      const children = numberOf(user, /953/);
      return [
        "### Subject",
        "Introducing Lumen Way Homes to Nottinghamshire",
        "",
        "Dear Nottinghamshire commissioning team,",
        "",
        "Lumen Way Homes is an independent therapeutic provision running small children's homes.",
        "Our home has been rated Outstanding by Ofsted since 2019.",
        `Nottinghamshire had 953 children in care on July 31st 2022 [${children}].`,
        "We already care for many of Nottinghamshire's children in care.",
        "",
        "Kind regards,",
      ].join("\n");
    };
    const written = await email();
    expect(written.mode).toBe("llm");
    expect(written.answer).toContain("Lumen Way Homes is an independent therapeutic provision running small children's homes.");
    expect(written.answer).toContain("Nottinghamshire had 953 children in care on July 31st 2022 [1].");
    // The first has a figure no quote holds; the second restates the cited sentence's words as the provider's own
    // claim, which only the profile could support.
    expect(written.answer).not.toMatch(/Outstanding|2019/);
    expect(written.answer).not.toContain("We already care");
    expect(written.notes?.join(" ")).toContain("2 sentences were left out");
  });

  it("keeps Hearth's notes out of an LA email's text, offline and on the model's fallback, in notes instead", async () => {
    for (const writing of [null, writer()]) {
      const result = await draftDocument({ store: fixture.store, writer: writing }, { template: template("la-commissioner-email"), la: "Cambridgeshire", now });
      if (!result.ok) throw result.error;
      const drafted = result.value;
      expect(drafted.answer).toContain("Cambridgeshire");
      expect(drafted.answer).not.toMatch(/^\s*Note:/m);
      expect(drafted.answer).not.toContain("may be out of date");
      expect(drafted.notes, drafted.answer).toContainEqual(expect.stringMatching(/^Cambridgeshire Placement Strategy for Looked After Children 2011-2015\.pdf .*may be out of date/));
    }
  });

  it("sends the draft and the quotes as data in the user message, the rules in the system prompt", async () => {
    await email();
    const body = server.requests[0]?.body as { messages: { role: string; content: string }[] };
    const system = body.messages.find((message) => message.role === "system")?.content ?? "";
    const user = body.messages.find((message) => message.role === "user")?.content ?? "";
    expect(system).toBe(draftSystemPrompt);
    expect(system).not.toContain("953");
    expect(user).toContain(`${draftOpen}\n### Subject`);
    expect(user).toContain(draftClose);
    const offline = await draftFromTemplate({ store: fixture.store }, { template: template("la-commissioner-email"), la: "Nottinghamshire", now });
    if (!offline.ok) throw offline.error;
    expect(quotesIn(user).size).toBe(offline.value.citations.length);
  });

  it("redacts the named contact before sending and restores it in the draft", async () => {
    server.respond = ({ user }) => `Lumen Way Homes writes about ${numberOf(user, /953/) > 0 ? "Nottinghamshire" : ""}: 953 children were in care on July 31st 2022 [${numberOf(user, /953/)}].\n\nKind regards,\n${user.includes("Alex Morgan") ? "LEAKED" : "⟦PERSON_1⟧"}`;
    const written = await email(true);
    expect(server.requests[0]?.raw).not.toContain("Alex Morgan");
    expect(written.answer).not.toContain("LEAKED");
    expect(written.answer).toContain("Alex Morgan");
  });

  it("falls back to the offline draft, saying why, when the model fails or cites nothing it can check", async () => {
    server.script.push({ kind: "status", status: 500 });
    const failed = await email();
    expect(failed.mode).toBe("extractive");
    expect(failed.answer).not.toMatch(/^Note:/m);
    expect(failed.notes?.[0]).toMatch(/500.* This draft was composed from the library without the language model\./);
    expect(failed.answer).toContain("- Children in care: 953 (July 31st 2022) [");

    server.respond = () => "Nottinghamshire needs 500 more foster carers, as everyone knows.";
    const unchecked = await email();
    expect(unchecked.mode).toBe("extractive");
    expect(unchecked.notes?.join(" ")).toContain("The language model's draft could not be checked against the library");
  });
});
