import { describe, expect, it } from "vitest";
import { sharedBytes } from "./pdf-page-worker-thread.ts";
import { wholeBuffer } from "./pdf.ts";

describe("handing a PDF's bytes to the page worker and to MuPDF without copies", () => {
  it("puts the bytes in shared memory once, and leaves bytes already there as they are", () => {
    const bytes = new Uint8Array([37, 80, 68, 70, 45, 49]);
    const shared = sharedBytes(bytes);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared]).toEqual([...bytes]);
    expect(sharedBytes(shared)).toBe(shared);
    // A view into part of a larger buffer gives only its own bytes.
    const part = sharedBytes(new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 4));
    expect([...part]).toEqual([2, 3, 4]);
  });

  it("gives MuPDF the ArrayBuffer only when the bytes fill it (a view of part of one stays a view)", () => {
    const whole = new Uint8Array(8);
    expect(wholeBuffer(whole)).toBe(whole.buffer);
    const part = whole.subarray(2, 6);
    expect(wholeBuffer(part)).toBe(part);
    const pooled = Buffer.from("%PDF-1.7");
    // Node's small Buffers share one pool: never the pool itself.
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    expect(wholeBuffer(pooled)).toBe(pooled);
    const shared = sharedBytes(whole);
    expect(wholeBuffer(shared)).toBe(shared);
  });
});
