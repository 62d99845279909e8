/**
 * `least-busy`: the target with the fewest requests in flight relative to its concurrency
 * limit, so a 4-slot llama-server at 2 counts as busier than an 8-slot vLLM at 3.
 */
import { type Candidate, hasCapacity, type RankContext } from "../candidate";

/**
 * Order: targets with a free slot before full ones; then in-flight / maxConcurrency, lowest
 * first; ties by weight (higher first), then at random. A target without a limit counts each
 * request as a whole slot (in-flight / 1): its capacity is unknown, and reading it as infinite
 * would make it look idle forever and send it everything.
 *
 * @example
 * rankByLeastBusy([llama(inFlight 2, max 4), vllm(inFlight 3, max 8)], { random: Math.random }); // [vllm, llama]
 */
export function rankByLeastBusy(candidates: readonly Candidate[], context: RankContext): Candidate[] {
  const ranked = candidates.map((candidate) => ({
    candidate,
    full: hasCapacity(candidate) ? 0 : 1,
    busy: candidate.inFlight / (Number.isFinite(candidate.maxConcurrency) ? Math.max(1, candidate.maxConcurrency) : 1),
    tie: context.random(),
  }));
  ranked.sort((a, b) => a.full - b.full || a.busy - b.busy || b.candidate.weight - a.candidate.weight || a.tie - b.tie);
  return ranked.map((entry) => entry.candidate);
}
