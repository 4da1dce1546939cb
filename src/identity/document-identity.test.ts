/** Document identity: first pages written as the real documents lay them out, tags over guesses, and the whole corpus. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { openCorpusLibraryCopy } from "../../test/support/corpus-library.ts";
import {
  describeDocumentIdentity,
  documentNoun,
  guessDocumentIdentity,
  parseDocumentDate,
  parseIdentityTag,
  recordDocumentIdentity,
  tagDocumentIdentity,
} from "./document-identity.ts";

const page = (...blocks: string[]): { text: string } => ({ text: blocks.join("\n\n") });

describe("guessing a document's identity from its first pages", () => {
  it("links an Ofsted report whose file name is only a date to the council it inspects", async () => {
    const identity = guessDocumentIdentity({
      fileName: "children's services inspection - 01 february 2023.pdf",
      title: null,
      units: [
        page(
          "Inspection of Blackpool local authority children’s services",
          "Inspection dates: 5 to 16 December 2022",
          "Lead inspector: Lisa Summers, His Majesty’s Inspector",
          "Judgement | Grade\nOverall effectiveness | Requires improvement to be good",
        ),
        page("The local authority has strengthened its front door."),
      ],
    });
    expect(identity).toEqual({
      title: "Inspection of Blackpool local authority children’s services",
      author: "Ofsted",
      authorKind: "inspectorate",
      about: "Blackpool",
      // The file name's publication date, not the inspection dates on the page.
      date: "2023-02-01",
    });
  });

  it("reads the older report layout and a template's placeholder title", async () => {
    const norfolk = guessDocumentIdentity({
      fileName: "children's services inspection - 19 january 2018.pdf",
      title: "Norfolk Council",
      units: [
        page(
          "Norfolk Council",
          "Re-inspection of services for children in need of help and protection, children looked after and care leavers",
          "Inspection date: 13 November 2017 to 24 November 2017",
          "Report published: 19 January 2018",
        ),
      ],
    });
    expect(norfolk).toMatchObject({ author: "Ofsted", about: "Norfolk", date: "2018-01-19" });
    expect(norfolk.title).toMatch(/^Re-inspection of services for children/);

    const leeds = guessDocumentIdentity({
      fileName: "report.pdf",
      title: "LA NAME  - standard-short inspection report - INSPECTION DATE",
      units: [page("Inspection of Leeds City local authority children’s services", "Inspection dates: 30 June 2025 to 4 July 2025")],
    });
    expect(leeds).toMatchObject({ title: "Inspection of Leeds City local authority children’s services", about: "Leeds", author: "Ofsted" });
  });

  it("takes the inspected council from an Ofsted letter, not Ofsted's Manchester address", async () => {
    const identity = guessDocumentIdentity({
      fileName: "letter.pdf",
      title: null,
      units: [
        page(
          "Ofsted",
          "Piccadilly Gate Store Street Manchester M1 2WD | T 0300 123 1231 enquiries@ofsted.gov.uk",
          "Martin Purbrick Executive Director Cambridgeshire County Council New Shire Hall",
          "Dear Mr Purbrick Focused visit to Cambridgeshire children’s services This letter summarises the findings of the focused visit.",
        ),
      ],
    });
    expect(identity).toMatchObject({ author: "Ofsted", about: "Cambridgeshire", title: "Focused visit to Cambridgeshire children’s services" });
  });

  it("names a council as the author of its own strategy, by its formal name when the pages give it", async () => {
    const kent = guessDocumentIdentity({
      fileName: "Placement sufficiency strategy 2024-2027.pdf",
      title: null,
      units: [page("Placement Sufficiency Strategy 2024 to 2027", "Kent County Council", "March 2024"), page("We will open four new homes.")],
    });
    expect(kent).toMatchObject({ author: "Kent County Council", authorKind: "council", about: "Kent", date: "2024-03" });

    const notts = guessDocumentIdentity({
      fileName: "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf",
      title: "Sufficiency & Commissioning Strategy for children in Nottinghamshire 2023-25",
      units: [page("Sufficiency & Commissioning Strategy for children in Nottinghamshire 2023-25"), page("We have developed specific provision.")],
    });
    expect(notts).toMatchObject({ author: "Nottinghamshire", authorKind: "council", about: "Nottinghamshire", date: "2023" });
    expect(documentNoun(notts, "x.pdf", "la_strategy")).toBe("strategy");
  });

  it("finds DfE on the back page of its guidance, legislation's maker, a research unit and the provider's own policy", async () => {
    const guidance = guessDocumentIdentity({
      fileName: "Children_missing_education_guidance_-_August_2024.pdf",
      title: null,
      units: [page("Children missing education", "Statutory guidance for local authorities", "August 2024"), page("Contents"), page("Summary"), page("More"), page("© Crown copyright 2024", "Reference: DFE-00123-2024")],
    });
    expect(guidance).toMatchObject({ title: "Children missing education", author: "Department for Education", authorKind: "government", about: null, date: "2024-08" });

    const regulations = guessDocumentIdentity({
      fileName: "regs.pdf",
      title: "The Children's Homes (England) Regulations 2015",
      units: [page("STATUTORY INSTRUMENTS", "2015 No. 541", "The Children's Homes (England) Regulations 2015")],
    });
    expect(regulations).toMatchObject({ authorKind: "government", date: "2015" });

    const research = guessDocumentIdentity({
      fileName: "qa.pdf",
      title: null,
      units: [page("Quality Assurance in Children’s Residential Care", "Service level summary report", "Tim Martin and Sue d’Authreau West Sussex Public Health Research Unit April 2013")],
    });
    expect(research).toMatchObject({ author: "West Sussex Public Health Research Unit", authorKind: "other", about: "West Sussex", date: "2013-04" });

    const policy = guessDocumentIdentity({
      fileName: "children-missing-from-care.md",
      title: "Children Missing from Care Policy",
      units: [page("Scope", "This chapter outlines how staff should respond.", "Wholistic Fostering is committed to keeping children safe.")],
    });
    expect(policy).toMatchObject({ author: "Wholistic Fostering", authorKind: "provider", about: null });

    const named = guessDocumentIdentity({
      fileName: "Statement of purpose.docx",
      title: "Statement of Purpose",
      units: [page("Lumen Way Homes", "Our homes in Mansfield")],
      organisationName: "Lumen Way Homes",
    });
    expect(named).toMatchObject({ author: "Lumen Way Homes", authorKind: "provider" });
  });

  it("does not take a data set's header row for a title", async () => {
    const identity = guessDocumentIdentity({
      fileName: "csww_indicators_2017_to_2024.csv",
      title: null,
      units: [page("time_period | time_identifier | geographic_level | la_name\n2024 | Reporting year | National | ")],
    });
    expect(identity).toMatchObject({ title: null, about: null, date: "2024" });
  });

  it("parses the dates documents and file names use", async () => {
    expect(parseDocumentDate("children's services inspection - 01 february 2023")).toBe("2023-02-01");
    expect(parseDocumentDate("ofsted-focused-visit_hampshire_07-march-2023")).toBe("2023-03-07");
    expect(parseDocumentDate("Childrens_Social_Care_National_Framework__Dec_2023")).toBe("2023-12");
    expect(parseDocumentDate("Promoting_the_health_August_2022_update")).toBe("2022-08");
    expect(parseDocumentDate("Template_v1.2_April_2024")).toBe("2024-04");
    expect(parseDocumentDate("2019-06-30")).toBe("2019-06-30");
    expect(parseDocumentDate("4th March 2015")).toBe("2015-03-04");
    expect(parseDocumentDate("no date here")).toBeNull();
  });
});

describe("identity tags", () => {
  const ingestOne = async (store: Store, fileName: string, hash: string, text: string): ReturnType<Store["documents"]["replace"]> => {
    const units = [{ index: 0, page: 1, section: null, text }];
    const document = await store.documents.replace(
      { fileName, sourcePath: `/library/${fileName}`, contentHash: hash, format: "pdf", title: null, byteSize: text.length, warnings: [] },
      units,
      [{ ordinal: 0, page: 1, section: null, headingPath: [], kind: "text", text, start: 0, end: text.length }],
    );
    await recordDocumentIdentity(store, document, units);
    return document;
  };

  it("validates values with a message naming the option", async () => {
    expect(parseIdentityTag({ about: "notts", date: "1 February 2023", author: "Nottinghamshire County Council" })).toEqual({
      ok: true,
      value: { about: "Nottinghamshire", date: "2023-02-01", author: "Nottinghamshire County Council", authorKind: "council" },
    });
    expect(parseIdentityTag({ author: "Ofsted" })).toMatchObject({ ok: true, value: { authorKind: "inspectorate" } });
    expect(parseIdentityTag({ author: "Lumen Way Homes" }, "Lumen Way Homes")).toMatchObject({ ok: true, value: { authorKind: "provider" } });
    expect(parseIdentityTag({ about: "none" })).toEqual({ ok: true, value: { about: null } });
    const badCouncil = parseIdentityTag({ about: "Atlantis" });
    expect(badCouncil.ok).toBe(false);
    if (!badCouncil.ok) expect(badCouncil.error).toMatchObject({ code: "INVALID_INPUT", subject: "--about" });
    const badDate = parseIdentityTag({ date: "soon" });
    expect(badDate.ok).toBe(false);
    if (!badDate.ok) expect(badDate.error.message).toContain("--date");
    expect(parseIdentityTag({ authorKind: "gossip" }).ok).toBe(false);
  });

  it("keeps the guess made at ingest, lets tagged fields win, and keeps tags when the file changes", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const first = await ingestOne(store, "2023-02-01.pdf", "a".repeat(64), "Inspection of Sunderland City Council local authority children’s services\n\nLead inspector: A Person");
    expect(await describeDocumentIdentity(store, first)).toMatchObject({ about: "Sunderland", author: "Ofsted", date: "2023-02-01", tagged: [] });

    const tagged = await tagDocumentIdentity(store, first, { about: "Blackpool", title: "Blackpool ILACS 2023" });
    expect(tagged).toMatchObject({ about: "Blackpool", title: "Blackpool ILACS 2023", author: "Ofsted", tagged: ["title", "about"] });
    await tagDocumentIdentity(store, first, { date: "2023-02" });
    expect(await describeDocumentIdentity(store, first)).toMatchObject({ about: "Blackpool", date: "2023-02", tagged: ["title", "about", "date"] });

    // A new version of the same file: the guess is read again from its pages, the tags stay.
    const second = await ingestOne(store, "2023-02-01.pdf", "b".repeat(64), "Focused visit to Kent children’s services\n\nHis Majesty’s Inspectors");
    expect(await describeDocumentIdentity(store, second)).toMatchObject({ about: "Blackpool", title: "Blackpool ILACS 2023", author: "Ofsted" });
    await store.close();
  });
});

describe.skipIf(withoutCorpus())("identity over every corpus document", () => {
  it(
    "gives every document an identity, the date-named ILACS reports their councils and the real documents sensible authors",
    async () => {
      const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
      if (!config.ok) throw config.error;
      // library/ and real/ come ingested (once per run, shared with other test files; none may fail), then dev2/docs.
      const library = await openCorpusLibraryCopy();
      const store = library.store;
      const summary = await ingestPaths([corpus("dev2/docs")], { store, config: config.value });
      expect(summary.failed).toBe(0);
      const identities = new Map(await Promise.all((await store.documents.list()).map(async (document) => [document.fileName, await describeDocumentIdentity(store, document)] as const)));
      expect(identities.size).toBeGreaterThanOrEqual(30);

      const councils: [string, string][] = [
        ["children's services inspection - 01 february 2023.pdf", "Blackpool"],
        ["children's services inspection - 11 march 2025.pdf", "Sunderland"],
        ["children's services inspection - 26 november 2024.pdf", "Cumberland"],
        ["children's services inspection - 19 january 2018.pdf", "Norfolk"],
        ["area send full inspection - 25 july 2024.pdf", "Blackpool"],
        ["ofsted-focused-visit_cambridgeshire_29-august-2025.pdf", "Cambridgeshire"],
        ["ofsted-ilacs_dorset_09-may-2025.pdf", "Dorset"],
      ];
      for (const [file, council] of councils) {
        expect(identities.get(file), file).toMatchObject({ about: council, author: "Ofsted", authorKind: "inspectorate" });
      }
      expect(identities.get("children's services inspection - 01 february 2023.pdf")).toMatchObject({ date: "2023-02-01" });
      // A template's placeholder title ("LA NAME - … - INSPECTION DATE") gives way to the report's own.
      expect(identities.get("ofsted-ilacs_leeds_12-august-2025.pdf")?.title).toBe("Inspection of Leeds City local authority children’s services");

      const authors: [string, string, string | null][] = [
        ["Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf", "council", "Nottinghamshire"],
        ["Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf", "council", "Cambridgeshire"],
        ["Somerset Homes and Horizons Members Briefing.pptx", "council", "Somerset"],
        ["Childrens_Social_Care_National_Framework__Dec_2023.pdf", "government", null],
        ["adoption_statutory_guidance_2013.pdf", "government", null],
        ["The Children's Home (England) regulations 2015.pdf", "government", null],
        ["Ofsted SCCIF children's homes.txt", "inspectorate", null],
        ["children-missing-from-care.md", "provider", null],
      ];
      for (const [file, kind, about] of authors) expect(identities.get(file), file).toMatchObject({ authorKind: kind, about });
      expect(identities.get("Childrens_Social_Care_National_Framework__Dec_2023.pdf")).toMatchObject({ author: "Department for Education", date: "2023-12" });
      // National documents and data sets about every council are about none.
      for (const file of ["cla_number_and_rate_per_10k_children.csv", "provider_at_march_2025.csv", "Info_sharing_advice_content_May_2024.pdf"]) {
        expect(identities.get(file)?.about, file).toBeNull();
      }
      // Every title is a readable line, never a header row or a template placeholder.
      for (const [file, identity] of identities) {
        if (identity.title !== null) expect(identity.title, file).not.toMatch(/\||LA NAME|INSPECTION DATE|^\d{4}-\d{2}-\d{2}T/);
      }
      await store.close();
      library.remove();
    },
    600_000,
  );
});
