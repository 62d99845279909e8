/**
 * `failover`: the targets in the order given, so the first one takes every request and the
 * next one takes over while it fails (or is full). The order of a model group's `targets`, or,
 * with no group configured, the order the backends were given in (see default-group.ts).
 */
import { type Candidate, hasCapacity, type RankContext } from "../candidate";

/**
 * Order: targets with a free slot in the order given, then full ones in the order given. A
 * target without a limit always has a free slot, so with no limits this is the order given.
 *
 * @example
 * rankByFailover([primary(inFlight 4, maxConcurrency 4), spare], { random: Math.random }); // [spare, primary]
 */
export function rankByFailover(candidates: readonly Candidate[], _context: RankContext): Candidate[] {
  const free = candidates.filter(hasCapacity);
  return free.length === candidates.length ? [...candidates] : free.concat(candidates.filter((candidate) => !hasCapacity(candidate)));
}
