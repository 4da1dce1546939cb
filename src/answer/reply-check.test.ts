import { describe, expect, it } from "vitest";
import { derivable, figuresIn } from "./figures.ts";
import { checkReply, clausesOf } from "./reply-check.ts";

const costs = [
  "Type of Placement | Cambridgeshire Unit Cost | Average Unit Cost",
  "In-house Residential Children's Homes | £2,278 per week | £2,611 per week",
  "In-house Foster Care | £460 per week | £432 per week",
  "External Foster Care (IFA) | £838 per week | £877 per week",
].join("\n");
const rates = [
  "time_period | geographic_level | la_name | new_la_code | population_type | children_count | rate_per_10000",
  "2025 | Local authority | Blackburn with Darwen | E06000008 | Children starting to be looked after each year | 173 | 41",
  "2025 | Local authority | Blackpool | E06000009 | Children looked after on 31 March each year | 531 | 184",
  "2025 | Local authority | Blackpool | E06000009 | Children starting to be looked after each year | 165 | 57",
].join("\n");
const regulation =
  "Case records must be kept for 75 years from the child's date of birth, or for 15 years from the date of the child's death. Every record must be in writing.";
const strategy = "Our current contractual framework is due for review in 2024, and this gives us an opportunity to think about frameworks and block contracts.";
const harbour = "Provide residential placements with on-site education | Establish residential accommodation at the Harbour School | Judith Davies | 01/04/12 | 2012/13 = £706,000";

const outcome = (reply: string, passages: string[], options = {}) => checkReply(reply, passages, { photos: false, ...options }).sentences.map((report) => [report.outcome, report.text]);

describe("figures in normal form", () => {
  it("reads dates and number words the same way on both sides", () => {
    expect([...figuresIn("04/10/2019").dates]).toContain("2019-10-04");
    expect([...figuresIn("4 October 2019").dates]).toContain("2019-10-04");
    expect([...figuresIn("due by 1 April 2012").dates]).toContain("2012-04-01");
    expect([...figuresIn("01/04/12").dates]).toContain("2012-04-01");
    expect([...figuresIn("within three years").numbers]).toEqual(["3"]);
    expect([...figuresIn("£1,440.50 a week").numbers]).toEqual(["1440.5"]);
    // "one of the homes" is no figure in a claim.
    expect([...figuresIn("one of the homes", { claim: true }).numbers]).toEqual([]);
  });

  it("recomputes a derived figure from its operands, to the figure's own precision", () => {
    expect(derivable("1440", ["2278", "838"])).toBe(true);
    expect(derivable("2.7", ["2278", "838"])).toBe(true);
    expect(derivable("38.1", ["55.2", "17.1"])).toBe(true);
    expect(derivable("1500", ["2278", "838"])).toBe(false);
  });
});

describe("checking a reply", () => {
  it("keeps a gap line apart and says what the library lacks", () => {
    const checked = checkReply(
      "Case records must be kept for 75 years from the child's date of birth [1].\n\nNot in the library: the passages do not say who pays for storage.",
      [regulation],
      { photos: false },
    );
    expect(checked.gaps).toEqual(["The passages do not say who pays for storage."]);
    expect(checked.text).toBe("Case records must be kept for 75 years from the child's date of birth [1].");
  });

  it("keeps framing and summary lines, marked as not from the library, and drops an uncited claim", () => {
    const checked = checkReply(
      [
        "Here is what the regulations say about case records.",
        "Case records must be kept for 75 years from the child's date of birth [1].",
        "In short, case records are kept for a very long time.",
        "Most homes store them in the cloud.",
      ].join(" "),
      [regulation],
      { photos: false, question: "How long must case records be kept?", markFraming: true },
    );
    expect(checked.sentences.map((report) => report.outcome)).toEqual(["framing", "kept", "framing", "removed"]);
    expect(checked.text).toMatch(/^_Here is what the regulations say about case records\._ Case records/);
  });

  it("re-cites a sentence to the passage of the prompt that supports it, when its own does not", () => {
    const checked = checkReply("Case records must be kept for 75 years from the child's date of birth [2].", [strategy, regulation], { photos: false });
    expect(checked.sentences[0]).toMatchObject({ outcome: "kept", markers: [2], cited: [2] });
    const wrong = checkReply("Case records must be kept for 75 years from the child's date of birth [1].", [strategy, regulation], { photos: false });
    expect(wrong.sentences[0]).toMatchObject({ outcome: "repaired", markers: [1], cited: [2] });
    expect(wrong.text).toBe("Case records must be kept for 75 years from the child's date of birth [2].");
  });

  it("passes a derived figure whose operands are shown and cited, and drops a wrong one", () => {
    expect(outcome("An in-house residential home costs £1,440 more per week than an IFA placement (£2,278 minus £838) [1].", [costs])[0]![0]).toBe("kept");
    expect(outcome("An in-house residential home costs £1,500 more per week than an IFA placement (£2,278 minus £838) [1].", [costs])[0]![0]).toBe("removed");
    expect(outcome("In-house foster care costs £406 per week [1].", [costs])[0]![0]).toBe("removed");
  });

  it("compares dates in normal form", () => {
    expect(outcome("The Harbour School placements are led by Judith Davies and due by 1 April 2012 [1].", [harbour])[0]![0]).toBe("kept");
    expect(outcome("The Harbour School placements are led by Judith Davies and due by 1 May 2012 [1].", [harbour])[0]![0]).toBe("removed");
  });

  it("checks clause by clause: an unsupported conclusion is cut, the supported part kept", () => {
    expect(clausesOf("The framework is due for review in 2024, so the council will buy every place through block contracts")).toHaveLength(2);
    const checked = checkReply("The current framework is due for review in 2024 [1], so the council will stop using frameworks and buy every residential place through block contracts.", [strategy], {
      photos: false,
    });
    expect(checked.sentences[0]!.outcome).toBe("trimmed");
    expect(checked.text).toBe("The current framework is due for review in 2024 [1].");
  });

  it("checks a spreadsheet row on its own cells: a neighbouring authority's figure does not pass", () => {
    expect(outcome("In 2025, 165 children started to be looked after in Blackpool, a rate of 57 per 10,000 [1].", [rates])[0]![0]).toBe("kept");
    expect(outcome("Blackpool's rate of children starting to be looked after in 2025 was 41 per 10,000 [1].", [rates])[0]![0]).toBe("removed");
  });

  it("drops a sentence that leaned on a removed one", () => {
    const checked = checkReply("Homes must notify the council of every move within 2 hours [1]. This must be in writing [1]. Case records must be kept for 75 years [1].", [regulation], {
      photos: false,
    });
    expect(checked.sentences.map((report) => report.outcome)).toEqual(["removed", "removed", "kept"]);
    expect(checked.sentences[1]!.reason).toMatch(/refers to a sentence that was removed/);
  });

  it("in drafts, takes what it says about the provider only from the profile; the rest needs a citation or is framing", () => {
    const profile = "Lumen Way Homes runs two children's homes in Mansfield, each registered with Ofsted for up to four children aged 8 to 17.";
    const draft = { profile, providerNames: ["Lumen Way Homes"] };
    const checked = checkReply(
      [
        "Dear Commissioning Team,",
        "Lumen Way Homes runs two children's homes in Mansfield. Our staff are all trained in block contracts and frameworks.",
        "Your framework is due for review in 2024 [1]. We would welcome a conversation about your plans.",
        "Councils across England are short of homes.",
      ].join("\n"),
      [strategy],
      { photos: false, draft },
    );
    expect(checked.sentences.map((report) => report.outcome)).toEqual(["framing", "kept", "removed", "kept", "framing", "removed"]);
    expect(checked.sentences[2]!.reason).toMatch(/about the provider/);
  });

  it("keeps a bold label line, reads a plain 'no information' sentence as a gap, and cuts a 'suggesting ...' conclusion", () => {
    const checked = checkReply(
      [
        "**Retention**",
        "Case records must be kept for 75 years from the child's date of birth [1], suggesting that most homes rent warehouse storage.",
        "There is no information about who pays for the storage.",
      ].join("\n"),
      [regulation],
      { photos: false },
    );
    expect(checked.text).toBe("**Retention**\nCase records must be kept for 75 years from the child's date of birth [1].");
    expect(checked.gaps).toEqual(["There is no information about who pays for the storage."]);
    expect(checked.sentences.map((report) => report.outcome)).toEqual(["trimmed", "gap"]);
  });

  it("counts a paraphrase's word when the passage uses an equivalent one (the glossary and reply-check.json)", () => {
    const passage = "The independent person must visit the children's home at least once each month.";
    expect(outcome("The independent person must visit the home monthly [1].", [passage])[0]![0]).toBe("kept");
    expect(outcome("IFAs charge the council more than in-house carers [1].", ["Independent fostering agencies charge the local authority more than in-house carers."])[0]![0]).toBe("kept");
    expect(outcome("The independent person must visit the home weekly [1].", [passage])[0]![0]).toBe("removed");
  });
});
