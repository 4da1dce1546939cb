/**
 * The machine-speed line the scale and cluster benchmarks print (bench/machine-speed.ts): a real measurement of the
 * fixed work, and both figures in the line.
 */
import { describe, expect, it } from "vitest";
import { machineSpeedLine, machineSpeedMilliseconds } from "../bench/machine-speed.ts";

describe("bench: machine speed", () => {
  it("times the fixed work and prints both figures", () => {
    const milliseconds = machineSpeedMilliseconds(1);
    expect(Number.isFinite(milliseconds)).toBe(true);
    // Splitting, stemming and counting 60,000 words takes tens of milliseconds, never nothing.
    expect(milliseconds).toBeGreaterThan(1);
    expect(machineSpeedLine(64.4, 71.6)).toMatch(/took 64 ms before the measurements and 72 ms after/);
  });
});
