/**
 * `priority`: fill the preferred tier first (say, the workstation's llama-server at tier 0)
 * and spill to the next (a LAN box, then the cloud) only while every target of the lower
 * tier is full.
 */
import { type Candidate, hasCapacity, type RankContext } from "../candidate";
import { drawWeightedClock } from "./simple-shuffle";

/**
 * Order: targets with a free slot, lowest tier first; then full targets, lowest tier first;
 * inside each tier in weighted random order. So the first pick is always in the lowest tier
 * that has capacity, and the fallbacks try every free slot of every tier before queueing on a
 * full target. A target without a limit always has capacity.
 *
 * @example
 * rankByPriority([cloud(priority 1), local(priority 0, inFlight 4, maxConcurrency 4)], { random: Math.random });
 * // => [cloud, local]: tier 0 is full
 */
export function rankByPriority(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const ranked = candidates.map((candidate) => ({
    candidate,
    full: hasCapacity(candidate) ? 0 : 1,
    clock: drawWeightedClock(candidate.weight, context.random),
  }));
  ranked.sort((a, b) => a.full - b.full || a.candidate.priority - b.candidate.priority || a.clock - b.clock);
  return ranked.map((entry) => entry.candidate);
}
