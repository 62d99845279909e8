/** Shared by the router strategy tests: a seeded random source and a candidate builder with the documented defaults. */
import type { Candidate } from "../../../src/router/candidate";

export { seededRandom } from "../../support/seeded-random";

export function candidate(backendId: string, fields: Partial<Candidate> = {}): Candidate {
  const model = fields.model ?? "qwen3-coder";
  return {
    id: `${backendId}/${model}`,
    backendId,
    model,
    weight: 1,
    priority: 0,
    inFlight: 0,
    maxConcurrency: Number.POSITIVE_INFINITY,
    tokensPerMinute: 0,
    latencyEwmaMs: undefined,
    available: true,
    ...fields,
  };
}

export function ids(candidates: readonly Candidate[]): string[] {
  return candidates.map((entry) => entry.backendId);
}

/**
 * How far an observed count may stray from its expectation over `draws` independent draws
 * with probability `p`: `sigmas` binomial standard deviations. At 5 sigmas a correct
 * implementation fails about once in 1.7 million seeds, while a real bias of a few percent
 * over tens of thousands of draws is many sigmas away.
 */
export function binomialTolerance(draws: number, p: number, sigmas = 5): number {
  return sigmas * Math.sqrt(draws * p * (1 - p));
}
