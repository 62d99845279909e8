/**
 * A group's targets as the strategies see them (Candidate): each one with its backend's share
 * and tier and the live figures the pool keeps, read at the moment of the decision.
 */
import type { BackendPool } from "./backend-pool";
import type { Candidate } from "./candidate";
import type { ResolvedGroup } from "./model-groups";

/**
 * Targets on a backend the pool does not know are left out (the start-up check names them);
 * a target listed twice counts once.
 *
 * @example
 * rankCandidates(group.strategy, buildCandidates(group, pool), { random: Math.random });
 */
export function buildCandidates(group: ResolvedGroup, pool: BackendPool): Candidate[] {
  const candidates = new Map<string, Candidate>();
  for (const { backendId, model } of group.targets) {
    const entry = pool.get(backendId);
    const id = `${backendId}/${model}`;
    if (!entry || candidates.has(id)) continue;
    candidates.set(id, {
      id,
      backendId,
      model,
      weight: entry.weight,
      priority: entry.priority,
      inFlight: entry.limiter.inFlight,
      maxConcurrency: entry.maxConcurrency,
      tokensPerMinute: entry.stats.tokensPerMinute,
      latencyEwmaMs: entry.stats.latencyEwmaMs,
      available: entry.available,
    });
  }
  return [...candidates.values()];
}
