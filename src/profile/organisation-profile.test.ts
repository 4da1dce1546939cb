/** The organisation profile in a real SQLite store: fields, lists, validation and the signature block. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { formatProfile, getProfile, parseProfileField, setProfileField, signatureBlock, unsetProfileField } from "./organisation-profile.ts";

describe("organisation profile", () => {
  let store: Store;
  beforeEach(async () => {
    store = openSqliteStore({ path: ":memory:" });
  });
  afterEach(() => store.close());

  it("sets fields by any spelling, splits lists and keeps them", async () => {
    expect((await setProfileField(store, "name", "Lumen Way Homes")).ok).toBe(true);
    expect((await setProfileField(store, "provision-type", "Independent therapeutic provision")).ok).toBe(true);
    expect((await setProfileField(store, "specialisms", "trauma, SEMH; autism")).ok).toBe(true);
    expect((await setProfileField(store, "signature", "Alex Morgan\\nResponsible Individual")).ok).toBe(true);
    expect(await getProfile(store)).toEqual({
      name: "Lumen Way Homes",
      provisionType: "Independent therapeutic provision",
      specialisms: ["trauma", "SEMH", "autism"],
      signature: "Alex Morgan\nResponsible Individual",
    });
    expect(formatProfile(await getProfile(store))).toContain("specialisms       trauma, SEMH, autism");
    expect((await unsetProfileField(store, "signature")).ok).toBe(true);
    expect((await getProfile(store)).signature).toBeUndefined();
  });

  it("refuses unknown fields and bad values, naming them", async () => {
    const unknown = parseProfileField("colour");
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toContain('unknown profile field "colour"');
    const email = await setProfileField(store, "email", "not-an-email");
    expect(email.ok).toBe(false);
    if (!email.ok) expect(email.error.message).toMatch(/^profile email: .*\(got "not-an-email"\)$/);
    expect(await getProfile(store)).toEqual({});
  });

  it("builds a signature from contact fields when none is set", async () => {
    expect(signatureBlock({})).toBeNull();
    expect(signatureBlock({ contactName: "Alex Morgan", contactRole: "RI", name: "Lumen Way Homes" })).toBe("Alex Morgan\nRI\nLumen Way Homes");
    expect(signatureBlock({ signature: "A. Morgan", contactName: "Alex" })).toBe("A. Morgan");
  });
});
