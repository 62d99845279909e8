/**
 * What a routing strategy knows about one backend+model target at the moment of a decision:
 * its configured share and tier, and the live figures the router keeps (load, usage, latency,
 * health). Strategies read these and nothing else, so every decision is a pure function.
 */

export interface Candidate {
  /** `backendId/model`, unique within a model group; the rendezvous hash is keyed on it. */
  id: string;
  backendId: string;
  model: string;
  /** Relative share of traffic, > 0 (the config schema enforces it); 1 by default. */
  weight: number;
  /** Lower is preferred: the `priority` strategy fills tier 0 before tier 1. 0 by default. */
  priority: number;
  /** Requests running on this target now (queued ones excluded). */
  inFlight: number;
  /** `Infinity` when the backend has no limit. */
  maxConcurrency: number;
  /** Recent usage (input + output tokens over the last minute). */
  tokensPerMinute: number;
  /** EWMA of time to first byte; `undefined` until the first answer was measured. */
  latencyEwmaMs: number | undefined;
  /** Healthy and its circuit not open. */
  available: boolean;
}

export interface RankContext {
  /** Uniform in [0, 1), like Math.random; injected so that tests can seed it. */
  random: () => number;
  /** From computeAffinityKey; only `prefix-affinity` reads it. */
  affinityKey?: string;
}

/** A strategy orders the candidates it is given (all available), best first. */
export type RankStrategy = (candidates: readonly Candidate[], context: RankContext) => Candidate[];

/**
 * True while the candidate can take one more request without queueing.
 *
 * @example
 * hasCapacity({ ...candidate, inFlight: 4, maxConcurrency: 4 }); // false
 */
export function hasCapacity(candidate: Candidate): boolean {
  return candidate.inFlight < candidate.maxConcurrency;
}
