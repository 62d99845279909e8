/**
 * Reads durations back from the store's histograms. The trigger in drizzle/0003_*.sql files a
 * duration of `ms` milliseconds under bucket floor(4 · log2(ms)) (0.01 ms at least): four buckets
 * per doubling, so a bucket's middle is within 9.1 % of anything in it.
 */

export interface BucketCount {
  bucket: number;
  count: number;
}

const BUCKETS_PER_DOUBLING = 4;

/**
 * The duration below which a fraction `quantile` of the counted durations fell, as the middle
 * (geometric) of the bucket it lands in; null with nothing counted.
 *
 * @example
 * estimatePercentile([{ bucket: 40, count: 9 }, { bucket: 44, count: 1 }], 0.5); // ≈ 1090 (1024-1218 ms)
 */
export function estimatePercentile(buckets: readonly BucketCount[], quantile: number): number | null {
  const total = buckets.reduce((sum, { count }) => sum + count, 0);
  if (total === 0) return null;
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (const { bucket, count } of sorted) {
    seen += count;
    if (seen >= rank) return 2 ** ((bucket + 0.5) / BUCKETS_PER_DOUBLING);
  }
  return 2 ** ((sorted.at(-1)!.bucket + 0.5) / BUCKETS_PER_DOUBLING);
}
