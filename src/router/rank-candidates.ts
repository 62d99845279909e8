/**
 * The routing decision for one request within a model group: the order in which to try its
 * targets. The first is the choice; the rest are the fallbacks within the group.
 */
import type { StrategyName } from "../config/config-choices";
import type { Candidate, RankContext, RankStrategy } from "./candidate";
import { rankByFailover } from "./strategies/failover";
import { rankByLatency } from "./strategies/latency-based";
import { rankByLeastBusy } from "./strategies/least-busy";
import { rankByPrefixAffinity } from "./strategies/prefix-affinity";
import { rankByPriority } from "./strategies/priority";
import { rankBySimpleShuffle } from "./strategies/simple-shuffle";
import { rankByUsage } from "./strategies/usage-based";

export type { Candidate, RankContext } from "./candidate";

const STRATEGIES: Record<StrategyName, RankStrategy> = {
  "simple-shuffle": rankBySimpleShuffle,
  "least-busy": rankByLeastBusy,
  "usage-based": rankByUsage,
  "latency-based": rankByLatency,
  priority: rankByPriority,
  "prefix-affinity": rankByPrefixAffinity,
  failover: rankByFailover,
};

/**
 * Ranks the available candidates by the strategy, then appends the unavailable ones in the
 * order given (the group's configured order): an open circuit or a failed health check is a
 * reason to try a target last, not never, because it may be all there is. The strategy sees
 * only the available ones, so loads, averages and tiers are computed over those. Pure: the
 * input is not reordered.
 *
 * @example
 * const [chosen, ...fallbacks] = rankCandidates("least-busy", candidates, { random: Math.random });
 */
export function rankCandidates(strategy: StrategyName, candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const available: Candidate[] = [];
  const unavailable: Candidate[] = [];
  for (const candidate of candidates) (candidate.available ? available : unavailable).push(candidate);
  const ranked = STRATEGIES[strategy](available, context);
  return unavailable.length === 0 ? ranked : ranked.concat(unavailable);
}
