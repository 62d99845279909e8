/**
 * The fallback chain of one request: the route's group, its targets in the strategy's order,
 * then the groups in its `fallbacks` (and theirs), or, when the prompt does not fit, its
 * `contextFallback`. Stops at the first answer, at a failure no other target could fix, or at
 * the overall deadline; every attempt made is recorded on the way.
 */
import type { BackendEntry } from "./backend-entry";
import type { BackendPool } from "./backend-pool";
import { buildCandidates } from "./build-candidates";
import type { ReleaseSlot, RequestPriority } from "./concurrency-limiter";
import { type AnswerOutcome, type AttemptRecord, DispatchError, type Dispatched, type DispatchTarget } from "./dispatch-result";
import type { CatalogEntry } from "./model-catalog";
import { type ModelGroups, type ResolvedGroup, resolveNamedGroup } from "./model-groups";
import { pinLlamaSlot } from "./pin-llama-slot";
import { rankCandidates } from "./rank-candidates";
import type { RouteDecision } from "./resolve-route";
import { isRetryableError } from "./retry-policy";
import type { RouterClock } from "./router-clock";
import { DeadlineExceededError } from "./router-errors";
import type { RouterObserver } from "./router-observer";
import { type TargetOutcome, tryTarget } from "./try-target";

export interface ChainWalk<T> {
  pool: BackendPool;
  groups: ModelGroups;
  catalog: CatalogEntry[];
  start: ResolvedGroup;
  decision: RouteDecision;
  priority: RequestPriority;
  signal: AbortSignal;
  deadlineAt: number;
  deadlineMs: number;
  /** Computed at most once, and only when a slot or a group's ranking is chosen by it. */
  affinityKey: () => string;
  /** One of Claude Code's side calls (isSideCall): on llama-server, kept to a slot of its own. */
  sideCall: boolean;
  /** `claudeCode.sideCallSlot`. */
  separateSideCalls: boolean;
  estimatedTokens: number;
  /** Whether answers feed the backend's load and latency figures (see DispatchInput.measured). */
  measured: boolean;
  attempt: (target: DispatchTarget) => Promise<T>;
  clock: RouterClock;
  random: () => number;
  observer: RouterObserver;
}

/**
 * @example
 * const dispatched = await walkFallbackChain({ pool, groups, catalog, start, decision, priority, signal, deadlineAt, ... });
 */
export async function walkFallbackChain<T>(walk: ChainWalk<T>): Promise<Dispatched<T>> {
  const attempts: AttemptRecord[] = [];
  const tried = new Set<string>();
  const queue: ResolvedGroup[] = [walk.start];
  const visited = new Set<string | undefined>([walk.start.name]);
  let failure: unknown;
  let overflow: unknown;
  while (queue.length > 0) {
    const group = queue.shift()!;
    const affinityKey = group.strategy === "prefix-affinity" ? walk.affinityKey() : undefined;
    const ranked = rankCandidates(group.strategy, buildCandidates(group, walk.pool), { random: walk.random, affinityKey });
    let overflowed = false;
    for (const candidate of ranked) {
      if (tried.has(candidate.id)) continue;
      tried.add(candidate.id);
      if (walk.clock.now() >= walk.deadlineAt) throw new DispatchError(new DeadlineExceededError(walk.deadlineMs, failure), attempts);
      const entry = walk.pool.get(candidate.backendId)!;
      const decision: RouteDecision = { ...walk.decision, backendId: candidate.backendId, model: candidate.model };
      const slot = pinLlamaSlot(entry, candidate.model, {
        affinityKey: walk.affinityKey,
        byAffinity: affinityKey !== undefined,
        sideCall: walk.sideCall,
        separateSideCalls: walk.separateSideCalls,
      });
      let outcome: TargetOutcome<T>;
      try {
        outcome = await tryTarget({ ...walk, entry, decision, slot: slot?.slot, attempts });
      } catch (error) {
        slot?.unpin();
        throw new DispatchError(error, attempts);
      }
      if (outcome.kind === "answered") {
        if (walk.measured) entry.stats.recordTokens(walk.estimatedTokens);
        return {
          result: outcome.result,
          backend: entry.backend,
          decision,
          signal: walk.signal,
          slot: slot?.slot,
          attempts,
          settle: settleOnce(entry, outcome.release, slot?.unpin, walk.measured),
        };
      }
      slot?.unpin();
      if (outcome.reason === "deadline") throw new DispatchError(new DeadlineExceededError(walk.deadlineMs, failure), attempts);
      failure = outcome.error;
      walk.observer.onFallback({ backendId: candidate.backendId, model: candidate.model, reason: outcome.reason, error: outcome.error });
      if (outcome.reason === "context-overflow") {
        // The engine may have restarted with a smaller window: read it again for the next request.
        void walk.pool.listModels(entry);
        overflowed = true;
        break;
      }
    }
    // A prompt too long for this group fits only the group named for that, not the ordinary
    // fallbacks; without one, the overflow goes back and Claude Code compacts the conversation.
    if (overflowed) {
      overflow = failure;
      queue.length = 0;
    }
    for (const name of overflowed ? [group.contextFallback].filter((name) => name !== undefined) : group.fallbacks) {
      if (visited.has(name)) continue;
      visited.add(name);
      queue.push(resolveNamedGroup(name, walk.groups, walk.catalog));
    }
  }
  // After an overflow, compacting is what helps most, whatever the larger group said.
  throw new DispatchError(overflow ?? failure, attempts);
}

/** The answer's end, once: frees the slot, and a backend fault mid-answer counts against the backend. */
function settleOnce(
  entry: BackendEntry,
  release: ReleaseSlot,
  unpin: (() => void) | undefined,
  measured: boolean,
): (outcome: AnswerOutcome) => void {
  let settled = false;
  return (outcome) => {
    if (settled) return;
    settled = true;
    release();
    unpin?.();
    if (outcome.kind === "completed" && measured) entry.stats.recordTokens(outcome.outputTokens ?? 0);
    if (outcome.kind === "failed" && measured && isRetryableError(outcome.error)) entry.circuit.recordFailure();
  };
}
