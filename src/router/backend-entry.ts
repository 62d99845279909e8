/**
 * Everything the router keeps about one backend: the Backend itself, its share and tier, its
 * models, and its live state (health, circuit, concurrency slots and waiting line, latency and
 * usage). Built once per backend from its config merged over the global router settings.
 */
import type { Backend, BackendModel } from "../backends/backend";
import type { BackendConfig, Config } from "../config/config-schema";
import { BackendHealth } from "./backend-health";
import { BackendLoadStats } from "./backend-load-stats";
import { CircuitBreaker } from "./circuit-breaker";
import { ConcurrencyLimiter } from "./concurrency-limiter";
import type { RetryDelayOptions } from "./retry-policy";
import type { RouterClock } from "./router-clock";
import type { RouterObserver } from "./router-observer";

export interface RetrySettings extends RetryDelayOptions {
  maxAttempts: number;
}

export type RouterSettings = Pick<Config, "retry" | "circuitBreaker" | "health">;

export class BackendEntry {
  readonly id: string;
  readonly weight: number;
  readonly priority: number;
  readonly maxConcurrency: number;
  readonly retry: RetrySettings;
  readonly circuitCooldownMs: number;
  readonly health: BackendHealth;
  readonly circuit: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter;
  readonly stats: BackendLoadStats;
  /** Undefined while the backend's list could not be read. */
  models: BackendModel[] | undefined;
  /** Requests pinned to each llama-server slot now, so a busy slot is not pinned to again. */
  readonly slotsInFlight = new Map<number, number>();
  private openedAt = 0;

  constructor(
    readonly backend: Backend,
    config: Partial<Pick<BackendConfig, "weight" | "priority" | "maxConcurrency" | "queue" | "retry" | "circuitBreaker">>,
    settings: RouterSettings,
    private readonly clock: RouterClock,
    observer: RouterObserver,
  ) {
    this.id = backend.id;
    this.weight = config.weight ?? 1;
    this.priority = config.priority ?? 0;
    this.maxConcurrency = config.maxConcurrency ?? Number.POSITIVE_INFINITY;
    const { deadlineMs: _deadline, ...retry } = settings.retry;
    this.retry = { ...retry, ...config.retry };
    this.health = new BackendHealth(settings.health.unhealthyAfter, (healthy) =>
      observer.onHealthChange({ backendId: this.id, healthy, lastError: this.health.lastError }),
    );
    const circuit = { ...settings.circuitBreaker, ...config.circuitBreaker };
    this.circuitCooldownMs = circuit.cooldownMs;
    this.circuit = new CircuitBreaker(
      circuit,
      () => clock.now(),
      (from, to) => {
        if (to === "open") this.openedAt = clock.now();
        observer.onCircuitTransition({ backendId: this.id, from, to });
      },
    );
    this.limiter = new ConcurrencyLimiter({
      maxConcurrency: this.maxConcurrency,
      maxQueueDepth: config.queue?.maxDepth ?? 64,
      maxQueueWaitMs: config.queue?.maxWaitMs ?? 120_000,
      name: this.id,
    });
    this.stats = new BackendLoadStats(() => clock.now());
  }

  /**
   * Fit for routing: its probes pass, and its circuit is closed, half-open, or open with the
   * cool-off over (the next request is the half-open trial; ranking it last would starve it).
   */
  get available(): boolean {
    if (!this.health.healthy) return false;
    return this.circuit.state !== "open" || this.clock.now() - this.openedAt >= this.circuitCooldownMs;
  }

  /** llama-server's slot count for `model`, when the backend reported one. */
  slotsOf(model: string): number | undefined {
    return this.models?.find((candidate) => candidate.id === model)?.slots;
  }
}
