/**
 * The order statistics the benchmarks report, in one place (each bench had its own copy). Two definitions are kept,
 * each where its figures were first reported, so that no figure in docs/benchmarks.md changes meaning:
 * `percentile` takes the value at index floor(fraction × n) of the sorted values (the load, run, tables, model,
 * cluster and job-queue benches; its 0.5 is `median`, the upper of the two middle values for an even count), and
 * `nearestRankPercentile` the value at rank ceil(fraction × n) (the scale and PostgreSQL profile benches).
 */

/** The value at index floor(fraction × n) of the sorted values; NaN for none. */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** The value at rank ceil(fraction × n) of the sorted values (the nearest-rank definition); NaN for none. */
export function nearestRankPercentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}
