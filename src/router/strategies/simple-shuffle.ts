/**
 * `simple-shuffle`: a weighted random order, drawn without replacement, so the first pick is
 * proportional to weight and each fallback is proportional among those left.
 */
import type { Candidate, RankContext } from "../candidate";

/**
 * Each candidate draws an exponential clock with rate = weight and the earliest clock goes
 * first (Efraimidis–Spirakis sampling in its exponential form): one random number per
 * candidate and a sort, no cumulative sums to rebuild after each pick.
 *
 * @example
 * rankBySimpleShuffle([big, small], { random: Math.random }); // big first 3 times in 4 when big.weight = 3, small.weight = 1
 */
export function rankBySimpleShuffle(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  if (candidates.length <= 1) return [...candidates];
  const drawn = candidates.map((candidate) => ({ candidate, clock: drawWeightedClock(candidate.weight, context.random) }));
  drawn.sort((a, b) => a.clock - b.clock);
  return drawn.map((entry) => entry.candidate);
}

/**
 * An exponential variate with rate `weight`: smaller is earlier. `1 - random()` is in (0, 1],
 * so the log is finite; a weight that is not positive never wins over one that is.
 *
 * @example
 * drawWeightedClock(2, () => 0.5); // ln 2 / 2 ≈ 0.347
 */
export function drawWeightedClock(weight: number, random: () => number): number {
  if (!(weight > 0)) return Number.POSITIVE_INFINITY;
  return -Math.log(1 - random()) / weight;
}
