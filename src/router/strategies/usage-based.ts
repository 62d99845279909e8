/**
 * `usage-based`: the target that served the fewest tokens over the last minute for its
 * weight, which evens out token throughput rather than request counts (one long agent turn
 * can outweigh a hundred title requests).
 */
import type { Candidate, RankContext } from "../candidate";

/**
 * Order: tokensPerMinute / weight, lowest first; ties at random (all idle targets tie at 0).
 *
 * @example
 * rankByUsage([a(tokensPerMinute 9000, weight 3), b(tokensPerMinute 4000, weight 1)], { random: Math.random }); // [a, b]: 3000 < 4000
 */
export function rankByUsage(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const ranked = candidates.map((candidate) => ({
    candidate,
    usage: candidate.weight > 0 ? candidate.tokensPerMinute / candidate.weight : Number.POSITIVE_INFINITY,
    tie: context.random(),
  }));
  ranked.sort((a, b) => a.usage - b.usage || a.tie - b.tie);
  return ranked.map((entry) => entry.candidate);
}
