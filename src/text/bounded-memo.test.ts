import { describe, expect, it } from "vitest";
import { boundedMemo } from "./bounded-memo.ts";

describe("boundedMemo", () => {
  it("works a result out once per argument, null results included, and empties itself past its limit", () => {
    const calls: string[] = [];
    const lookUp = boundedMemo((name: string) => {
      calls.push(name);
      return name === "none" ? null : name.toUpperCase();
    }, 2);
    expect(lookUp("kent")).toBe("KENT");
    expect(lookUp("kent")).toBe("KENT");
    expect(lookUp("none")).toBeNull();
    expect(lookUp("none")).toBeNull();
    expect(calls).toEqual(["kent", "none"]);
    // A third argument finds it full: emptied, so "kent" is worked out again.
    expect(lookUp("leeds")).toBe("LEEDS");
    expect(lookUp("kent")).toBe("KENT");
    expect(calls).toEqual(["kent", "none", "leeds", "kent"]);
  });
});
