import { describe, expect, it } from "vitest";
import { createRedactor, createStreamRestorer } from "./redact.ts";

const note =
  "Young person, Jack Smith, DOB: 12/03/2010, NHS number 943 476 5919, lives at 14 Oak Tree Road, Cambridge CB1 2AB. " +
  "Call his social worker on 01632 960 001 or +44 7700 900123, or email j.smith@example.org. Jack said the placement is going well.";

describe("redaction", () => {
  it("replaces children's names, dates of birth, NHS numbers, addresses, postcodes, phones and emails", () => {
    const redactor = createRedactor();
    const [redacted] = redactor.redact([note]);
    for (const secret of ["Jack", "Smith", "12/03/2010", "943 476 5919", "14 Oak Tree Road", "CB1 2AB", "01632 960 001", "7700 900123", "j.smith@example.org"]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain("Young person, ⟦PERSON_1⟧, DOB: ⟦DOB_1⟧, NHS number ⟦NHS_1⟧, lives at ⟦ADDRESS_1⟧, Cambridge ⟦POSTCODE_1⟧.");
    expect(redacted).toContain("⟦PERSON_2⟧ said the placement is going well.");
    expect(redacted).toContain("⟦EMAIL_1⟧");
    expect(redacted?.match(/⟦PHONE_\d⟧/g)).toHaveLength(2);
  });

  it("round-trips: the answer's placeholders become the originals again", () => {
    const redactor = createRedactor();
    const [redacted] = redactor.redact([note]);
    expect(redactor.restore(redacted!)).toBe(note.replace(/\s+/g, " "));
    expect(redactor.restore("⟦PERSON_1⟧ (born ⟦DOB_1⟧) is settled [1].")).toBe("Jack Smith (born 12/03/2010) is settled [1].");
    // Models sometimes drop the special brackets.
    expect(redactor.restore("[PERSON_1] is settled [1].")).toBe("Jack Smith is settled [1].");
  });

  it("gives the same value the same placeholder across the question and every passage", () => {
    const redactor = createRedactor({ names: ["Amira Khan"] });
    const [question, passage] = redactor.redact(["How is Amira Khan getting on?", "Amira Khan moved in March. Amira likes art."]);
    expect(question).toBe("How is ⟦PERSON_1⟧ getting on?");
    expect(passage).toBe("⟦PERSON_1⟧ moved in March. ⟦PERSON_2⟧ likes art.");
    expect(redactor.redact(["The young person Amira is settled."])[0]).toBe("The young person ⟦PERSON_2⟧ is settled.");
    expect(redactor.mapping.get("⟦PERSON_1⟧")).toBe("Amira Khan");
  });

  it("keeps the figures, dates and bodies a strategy needs", () => {
    const text =
      "In 2022 the weekly cost was £2,278 for 1,234 children. The Child Protection Plan and the child in care council met on 3 May 2023; Ofsted rated it Good. Section 22G of the Children Act 1989.";
    const redactor = createRedactor();
    expect(redactor.redact([text])[0]).toBe(text);
    expect(redactor.mapping.size).toBe(0);
  });

  it("restores placeholders split across streamed pieces", () => {
    const redactor = createRedactor();
    redactor.redact(["The child called Liam Jones is happy."]);
    let output = "";
    const restorer = createStreamRestorer(redactor, (text) => (output += text));
    for (const piece of ["⟦PER", "SON_1", "⟧ is ", "happy [1]."]) restorer.push(piece);
    restorer.flush();
    expect(output).toBe("Liam Jones is happy [1].");
  });
});
