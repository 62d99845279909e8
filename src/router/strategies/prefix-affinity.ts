/**
 * `prefix-affinity`: requests that share a prompt prefix (one Claude Code conversation) go to
 * the same target, whose engine still holds that prefix in its KV cache and skips
 * re-evaluating tens of thousands of tokens. Rendezvous hashing makes the mapping stable;
 * a bounded load keeps one busy conversation from piling onto one engine.
 */
import { type Candidate, hasCapacity, type RankContext } from "../candidate";
import { hashAffinityKey, scoreRendezvous } from "../rendezvous-hash";
import { rankBySimpleShuffle } from "./simple-shuffle";

/**
 * How far above its fair share a target may go before a key spills to the next one
 * (consistent hashing with bounded loads, Mirrokni, Thorup and Zadimoghaddam). 1.25 is the
 * paper's worked example and HAProxy's `hash-balance-factor 125`: a conversation keeps its
 * engine through ordinary bursts, but no engine carries more than a quarter over its share.
 */
const AFFINITY_LOAD_FACTOR = 1.25;

/**
 * Order: the candidates in the key's rendezvous order (weighted: a target with twice the
 * weight is home to twice the keys), except that a target that is full (inFlight ≥
 * maxConcurrency) or over its bound moves behind every target that is not, keeping its
 * relative order. A target's bound is `ceil(1.25 × (Σ inFlight + 1) × weight / Σ weight)`
 * and it is over it when taking this request would exceed it; the `+ 1` counts this request
 * and the `ceil` guarantees that some target is always within bound. Without a key, the
 * weighted shuffle of `simple-shuffle`.
 *
 * @example
 * rankByPrefixAffinity(candidates, { random: Math.random, affinityKey: computeAffinityKey(request) });
 */
export function rankByPrefixAffinity(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const key = context.affinityKey;
  if (key === undefined || key === "") return rankBySimpleShuffle(candidates, context);
  const keyHash = hashAffinityKey(key);
  let totalLoad = 0;
  let totalWeight = 0;
  for (const candidate of candidates) {
    totalLoad += candidate.inFlight;
    totalWeight += candidate.weight;
  }
  const scored = candidates.map((candidate) => ({ candidate, score: scoreRendezvous(keyHash, candidate.id, candidate.weight) }));
  scored.sort((a, b) => b.score - a.score);
  const within: Candidate[] = [];
  const spilled: Candidate[] = [];
  for (const { candidate } of scored) {
    const bound = Math.ceil((AFFINITY_LOAD_FACTOR * (totalLoad + 1) * candidate.weight) / totalWeight);
    if (hasCapacity(candidate) && candidate.inFlight < bound) within.push(candidate);
    else spilled.push(candidate);
  }
  return within.concat(spilled);
}
