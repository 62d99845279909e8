/**
 * Latency histograms as the store keeps them: a duration of `ms` milliseconds counts under
 * bucket floor(4 · log2(ms)) (0.01 ms at least), and a period's counts are a JSON object. Four
 * buckets per doubling: a bucket's middle, what a percentile reads back, is within 9.1 % of
 * anything in it.
 */

/** How many durations fell in each bucket. */
export type Histogram = Map<number, number>;

const BUCKETS_PER_DOUBLING = 4;
const SHORTEST_MS = 0.01;

/**
 * @example
 * findLatencyBucket(1000); // 39: from 2^(39/4) = 861 ms up to 1024 ms
 */
export function findLatencyBucket(ms: number): number {
  return Math.floor(BUCKETS_PER_DOUBLING * Math.log2(Math.max(ms, SHORTEST_MS)));
}

/**
 * @example
 * writeStoredHistogram(new Map([[39, 2], [46, 1]])); // '{"39":2,"46":1}'
 */
export function writeStoredHistogram(histogram: ReadonlyMap<number, number>): string {
  return JSON.stringify(Object.fromEntries(histogram));
}

/**
 * A histogram as the store keeps it, `{"39": 2, "46": 1}`.
 *
 * @example
 * readStoredHistogram('{"39":2,"46":1}'); // Map { 39 => 2, 46 => 1 }
 */
export function readStoredHistogram(stored: string): Histogram {
  const counts = JSON.parse(stored) as Record<string, number>;
  return new Map(Object.keys(counts).map((bucket) => [Number(bucket), counts[bucket]!]));
}

/**
 * @example
 * addHistogram(total, readStoredHistogram(period.latencyHistogram));
 */
export function addHistogram(into: Histogram, from: ReadonlyMap<number, number>): void {
  for (const [bucket, count] of from) into.set(bucket, (into.get(bucket) ?? 0) + count);
}

/**
 * The duration below which a fraction `quantile` of the counted durations fell, as the middle
 * (geometric) of the bucket it lands in; null with nothing counted.
 *
 * @example
 * estimatePercentile(new Map([[40, 9], [44, 1]]), 0.5); // ≈ 1117 (a bucket of 1024-1218 ms)
 */
export function estimatePercentile(histogram: ReadonlyMap<number, number>, quantile: number): number | null {
  let total = 0;
  for (const count of histogram.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  const buckets = [...histogram.keys()].sort((a, b) => a - b);
  for (const bucket of buckets) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return 2 ** ((bucket + 0.5) / BUCKETS_PER_DOUBLING);
  }
  return 2 ** ((buckets.at(-1)! + 0.5) / BUCKETS_PER_DOUBLING);
}
