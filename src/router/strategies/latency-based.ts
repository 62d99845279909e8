/**
 * `latency-based`: the target with the lowest EWMA of time to first byte. A target never
 * measured goes first: one request is enough to learn its latency, and a strategy that only
 * picks the best-known target would otherwise never try it at all (optimism under
 * uncertainty).
 */
import type { Candidate, RankContext } from "../candidate";
import { drawWeightedClock } from "./simple-shuffle";

/**
 * Order: unmeasured targets first, then measured ones by EWMA, fastest first; targets that
 * tie (all the unmeasured ones, or equal EWMAs) in weighted random order. The
 * exploration lasts only until the first answer of the new target is measured, so it costs
 * at most the requests that arrive during that one time to first byte.
 *
 * @example
 * rankByLatency([fast(latencyEwmaMs 120), slow(latencyEwmaMs 900), fresh(latencyEwmaMs undefined)], { random: Math.random });
 * // => [fresh, fast, slow]
 */
export function rankByLatency(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const ranked = candidates.map((candidate) => ({
    candidate,
    latency: candidate.latencyEwmaMs ?? Number.NEGATIVE_INFINITY,
    tie: drawWeightedClock(candidate.weight, context.random),
  }));
  ranked.sort((a, b) => compareLatency(a.latency, b.latency) || a.tie - b.tie);
  return ranked.map((entry) => entry.candidate);
}

/** `-Infinity - -Infinity` is NaN, which sort reads as "unordered": compare explicitly. */
function compareLatency(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
