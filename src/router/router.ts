/**
 * The router: where a request goes, and where it goes next when that fails. It resolves the
 * route to a model group (or one target), ranks the group's targets by its strategy over the
 * backends' live state, and walks the fallback chain under the circuit breakers, concurrency
 * limits, retry policy and one overall deadline. With no modelGroups or routes configured, a
 * route gets the default group (every backend, those serving its model first). The pure
 * decisions live in their own files; this class holds the state and wires them together.
 */
import type { Backend } from "../backends/backend";
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { NotFoundError } from "../errors/proxy-error";
import type { ConversationMemo } from "../json/conversation-memo";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { BackendPool, type BackendStatus, type PooledBackend } from "./backend-pool";
import { buildCandidates } from "./build-candidates";
import { computeAffinityKey } from "./compute-affinity-key";
import { buildDefaultGroup, usesDefaultGroup } from "./default-group";
import type { EngineFinder } from "./discovery-monitor";
import { DispatchError, type Dispatched, type DispatchTarget } from "./dispatch-result";
import type { CatalogEntry } from "./model-catalog";
import { checkModelGroups, type ResolvedGroup, resolveGroup } from "./model-groups";
import type { Target } from "./parse-target";
import { rankCandidates } from "./rank-candidates";
import { isBackgroundRequest, type RouteDecision, type RouteInput, resolveRoute } from "./resolve-route";
import { type RouterClock, SYSTEM_CLOCK } from "./router-clock";
import { DeadlineExceededError } from "./router-errors";
import { type RouterObserver, SILENT_OBSERVER } from "./router-observer";
import { walkFallbackChain } from "./walk-fallback-chain";

export type RouterConfig = Pick<Config, "models" | "routes" | "modelGroups" | "retry" | "circuitBreaker" | "health" | "claudeCode">;

export interface RouterOptions {
  /** Circuit cool-offs, backoff, latency and usage windows run on it; tests step it by hand. */
  clock?: RouterClock;
  /** Uniform in [0, 1): shuffles and backoff jitter; tests seed it. */
  random?: () => number;
  observer?: RouterObserver;
  /** Looks for engines that came up since (discovery): asked before routing while no backend is available. */
  discovery?: EngineFinder;
}

export interface DispatchInput extends RouteInput {
  /** The normalized request: its prompt prefix is what prefix affinity hashes. */
  request: RouteInput["request"] & Pick<MessageCreateParams, "system" | "messages">;
  /** The client's: when it aborts, waiting, retrying and the attempt stop. */
  signal?: AbortSignal;
  /**
   * False for work that says nothing of a backend's generation (counting tokens): it then feeds
   * neither the latency average, nor the tokens-per-minute figure strategies rank by, nor the
   * circuit breaker.
   */
  measured?: boolean;
  /** Where the affinity key's text for a resent (frozen) tool list is remembered. */
  memo?: ConversationMemo;
  /** One of Claude Code's side calls (isSideCall, on the request as sent): a llama-server slot of its own. */
  sideCall?: boolean;
}

export class Router {
  readonly pool: BackendPool;
  /** No modelGroups and no routes configured: routes get the default group (see default-group.ts). */
  readonly usesDefaultGroup: boolean;
  private readonly clock: RouterClock;
  private readonly random: () => number;
  private readonly observer: RouterObserver;
  private readonly discovery: EngineFinder | undefined;

  constructor(
    backends: PooledBackend[],
    private readonly config: RouterConfig,
    options: RouterOptions = {},
  ) {
    const problems = checkModelGroups(
      config.modelGroups,
      backends.map(({ backend }) => backend.id),
    );
    if (problems.length > 0) throw new ConfigError(problems.map((problem) => ({ path: "", message: problem })));
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.random = options.random ?? Math.random;
    this.observer = options.observer ?? SILENT_OBSERVER;
    this.discovery = options.discovery;
    this.usesDefaultGroup = usesDefaultGroup(config);
    this.pool = new BackendPool(backends, config, this.clock, this.observer);
  }

  get size(): number {
    return this.pool.size;
  }

  refresh(signal?: AbortSignal): Promise<BackendStatus[]> {
    return this.pool.refresh(signal);
  }

  statuses(): BackendStatus[] {
    return this.pool.statuses();
  }

  catalog(): CatalogEntry[] {
    return this.pool.catalog();
  }

  /**
   * What routing needs to know first: the model lists still unknown (an engine that came up
   * after anyclaude; see BackendPool), and, while no backend is available, any engine that
   * came up on a discovery port since the last look.
   */
  async findBackends(signal?: AbortSignal): Promise<void> {
    await this.pool.listUnknownModels(signal);
    if (this.discovery && !this.pool.all().some((entry) => entry.available)) await this.discovery.findNow();
  }

  /** The targets a request would try, in order, without sending anything (the model list, the banner). */
  plan(input: RouteInput): { decision: RouteDecision; targets: Target[] } {
    const catalog = this.pool.catalog();
    const decision = resolveRoute(input, this.config, catalog);
    const group = this.resolveStart(decision, catalog);
    const ranked = rankCandidates(group.strategy, buildCandidates(group, this.pool), { random: this.random });
    return { decision, targets: ranked.map(({ backendId, model }) => ({ backendId, model })) };
  }

  /** Where the request would go first, without sending anything (token counts, the model list). */
  select(input: RouteInput): { backend: Backend; decision: RouteDecision } {
    const { decision, targets } = this.plan(input);
    const [first] = targets;
    const entry = first && this.pool.get(first.backendId);
    if (!first || !entry) throw new NotFoundError(`route target names unknown backend "${decision.backendId}"`);
    return { backend: entry.backend, decision: { ...decision, backendId: first.backendId, model: first.model } };
  }

  /**
   * Routes the request and runs `attempt` against targets until one answers. `attempt` must
   * resolve only once the answer is certain to be sendable (see startAnswer), so whatever it
   * throws can be retried or sent elsewhere; once it resolved, nothing is. The caller must call
   * `settle` when the answer ends. Throws DispatchError with the attempts made.
   *
   * @example
   * const { result, settle } = await router.dispatch({ request, estimatedTokens, signal }, ({ backend, decision, signal }) =>
   *   startAnswer(backend, { ...request, model: decision.model }, { ...options, signal }, stream));
   */
  async dispatch<T>(input: DispatchInput, attempt: (target: DispatchTarget) => Promise<T>): Promise<Dispatched<T>> {
    await this.findBackends(input.signal);
    const catalog = this.pool.catalog();
    const decision = resolveRoute(input, this.config, catalog);
    const start = this.resolveStart(decision, catalog);

    const { deadlineMs } = this.config.retry;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceededError(deadlineMs)), deadlineMs);
    const signal = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;
    let affinityKey: string | undefined;
    try {
      return await walkFallbackChain({
        pool: this.pool,
        groups: this.config.modelGroups,
        catalog,
        start,
        decision,
        priority: isBackgroundRequest(input.request) ? "background" : "interactive",
        signal,
        deadlineAt: this.clock.now() + deadlineMs,
        deadlineMs,
        affinityKey: () => (affinityKey ??= computeAffinityKey(input.request, input.memo)),
        sideCall: input.sideCall ?? false,
        separateSideCalls: this.config.claudeCode.sideCallSlot,
        estimatedTokens: input.estimatedTokens,
        measured: input.measured ?? true,
        attempt,
        clock: this.clock,
        random: this.random,
        observer: this.observer,
      });
    } catch (error) {
      if (error instanceof DispatchError && error.failure === undefined) {
        throw new DispatchError(
          new NotFoundError(`no target of route "${decision.route}" is served by a configured backend`),
          error.attempts,
        );
      }
      throw error;
    } finally {
      // Only the deadline's timer: an answer that started keeps reading under `signal`.
      clearTimeout(timer);
    }
  }

  private resolveStart(decision: RouteDecision, catalog: CatalogEntry[]): ResolvedGroup {
    if (decision.group === undefined && this.usesDefaultGroup) return buildDefaultGroup(decision, catalog);
    return resolveGroup(decision, this.config.modelGroups, catalog);
  }
}
