/**
 * LA names are looked up many times per answer, so their patterns and short texts' finds are kept: what is kept must
 * give the same verdicts as working them out afresh, and a caller changing what it got must not change the next one.
 */
import { describe, expect, it } from "vitest";
import { findLocalAuthorities, localAuthorityNames, localAuthorityPattern, longerNamesContaining, resolveLocalAuthority } from "./local-authority-names.ts";

describe("local authority names, looked up again", () => {
  it("finds the same councils each time, and a caller's change to the list it got is not kept", () => {
    const question = "How many Somerset children in care live in Devon or North Somerset?";
    const first = findLocalAuthorities(question);
    expect(first).toEqual(["Somerset", "Devon", "North Somerset"]);
    first.push("Leeds");
    first.sort();
    expect(findLocalAuthorities(question)).toEqual(["Somerset", "Devon", "North Somerset"]);
    const longer = longerNamesContaining("Somerset");
    expect(longer).toContain("North Somerset");
    longer.length = 0;
    expect(longerNamesContaining("Somerset")).toContain("North Somerset");
  });

  it("finds every mention in a long text (past the kept short texts), in order of first mention", () => {
    const text = `${"The home is in a quiet street. ".repeat(20)}Leeds placed two children in Bradford; Leeds placed one more.`;
    expect(findLocalAuthorities(text)).toEqual(["Leeds", "Bradford"]);
    expect(findLocalAuthorities(text)).toEqual(["Leeds", "Bradford"]);
  });

  it("resolves a name typed in any case to the list's spelling, and an alias through the patterns", () => {
    const name = localAuthorityNames().find((entry) => entry.includes(" ")) ?? "North Somerset";
    expect(resolveLocalAuthority(`  ${name.toUpperCase()} `)).toBe(name);
    expect(resolveLocalAuthority("notts")).toBe("Nottinghamshire");
    expect(resolveLocalAuthority("no council here")).toBeUndefined();
  });

  it("gives one shared pattern per name that matches as findLocalAuthorities does, and stays usable for test()", () => {
    const pattern = localAuthorityPattern("North Somerset");
    expect(localAuthorityPattern("North Somerset")).toBe(pattern);
    expect(pattern.flags).not.toContain("g");
    for (let round = 0; round < 3; round++) {
      expect(pattern.test("children placed in north-somerset last year")).toBe(true);
      expect(pattern.test("North_Somerset_sufficiency.pdf")).toBe(true);
      expect(pattern.test("Northern Somerset")).toBe(false);
    }
  });
});
