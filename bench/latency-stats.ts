/** Percentiles of measured latencies, and the "added" figures: proxied minus direct, percentile by percentile. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Nearest-rank percentiles (no interpolation: every figure is a latency that was measured).
 *
 * @example
 * summarizeLatencies([3, 1, 2, 4]) // { p50: 2, p95: 4, p99: 4 }
 */
export function summarizeLatencies(samples: readonly number[]): Percentiles {
  if (samples.length === 0) throw new Error("no samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99) };
}

/**
 * The nearest-rank percentile of samples sorted in ascending order (at least one).
 *
 * @example
 * nearestRank([1, 2, 3, 4], 50) // 2
 */
export function nearestRank(sorted: readonly number[], percent: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1))]!;
}

/**
 * What the proxy adds at each percentile. Percentiles do not subtract exactly (the slowest
 * proxied request need not pair with the slowest direct one), but both sides were measured in
 * the same interleaved run, so drift and noise weigh on them alike.
 *
 * @example
 * subtractPercentiles({ p50: 1.2, p95: 2, p99: 3 }, { p50: 0.4, p95: 0.8, p99: 1 }) // { p50: 0.8, p95: 1.2, p99: 2 }
 */
export function subtractPercentiles(proxied: Percentiles, direct: Percentiles): Percentiles {
  return { p50: proxied.p50 - direct.p50, p95: proxied.p95 - direct.p95, p99: proxied.p99 - direct.p99 };
}
