/**
 * The backends anyclaude serves from, each with its live state (BackendEntry), and the one
 * place their model lists are read: at start-up, by the health monitor, and before routing
 * while a backend's list is still unknown (an engine that came up after anyclaude). Discovery
 * adds the engines it finds later; a list that changes is reported to the observer.
 */
import type { Backend, BackendModel } from "../backends/backend";
import type { BackendConfig } from "../config/config-schema";
import { BackendConnectionError } from "../errors/proxy-error";
import { BackendEntry, type RouterSettings } from "./backend-entry";
import type { BackendState } from "./backend-health";
import type { CircuitState } from "./circuit-breaker";
import type { CatalogEntry } from "./model-catalog";
import type { RouterClock } from "./router-clock";
import type { RouterObserver } from "./router-observer";

/** A backend with the part of its config the router reads (share, tier, limits, overrides). */
export interface PooledBackend {
  backend: Backend;
  config?: Partial<BackendConfig>;
}

/** One backend as /health, doctor and `serve` show it. */
export interface BackendStatus {
  id: string;
  kind: string;
  mode: string;
  url: string;
  /** The last check's outcome (probe, model listing or request). */
  state: BackendState;
  /** False once `health.unhealthyAfter` failures came in a row: tried only after every healthy target. */
  healthy: boolean;
  circuit: CircuitState;
  inFlight: number;
  queued: number;
  maxConcurrency: number | null;
  latencyEwmaMs: number | null;
  tokensPerMinute: number;
  models: BackendModel[] | undefined;
  lastError?: string;
  checkedAt?: string;
}

export class BackendPool {
  private readonly entries = new Map<string, BackendEntry>();
  /** Model listings under way, shared by the requests that wait for them. */
  private readonly listing = new Map<string, Promise<void>>();
  /** When a listing last failed with the engine answering (not a refused connection), per backend. */
  private readonly listingFailedAt = new Map<string, number>();

  constructor(
    backends: PooledBackend[],
    private readonly settings: RouterSettings,
    private readonly clock: RouterClock,
    private readonly observer: RouterObserver,
  ) {
    for (const backend of backends) this.add(backend);
  }

  /** A backend joins (at start-up, or found later by discovery); routing sees it from the next request. */
  add({ backend, config }: PooledBackend): BackendEntry {
    if (this.entries.has(backend.id)) throw new Error(`backend "${backend.id}" is already in the pool`);
    const entry = new BackendEntry(backend, config ?? {}, this.settings, this.clock, this.observer);
    this.entries.set(backend.id, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  get(backendId: string): BackendEntry | undefined {
    return this.entries.get(backendId);
  }

  all(): BackendEntry[] {
    return [...this.entries.values()];
  }

  /** Asks every backend for its models; the outcome counts as a health check. Start-up's lists are not reported as changes. */
  async refresh(signal?: AbortSignal): Promise<BackendStatus[]> {
    await Promise.all(this.all().map((entry) => this.readModels(entry, signal, false)));
    return this.statuses();
  }

  /**
   * Lists the models of every backend whose list is unknown, before a request is routed: an
   * engine that was down at start-up must not get its first request for model "default". A
   * refused connection is cheap to ask again on the next request; an engine that answered
   * wrongly or not at all is asked at most every `health.unhealthyIntervalMs`.
   */
  async listUnknownModels(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const pending = this.all().filter((entry) => {
      if (entry.models !== undefined) return false;
      const failedAt = this.listingFailedAt.get(entry.id);
      return failedAt === undefined || now - failedAt >= this.settings.health.unhealthyIntervalMs;
    });
    if (pending.length === 0) return;
    const timeout = AbortSignal.timeout(this.settings.health.timeoutMs);
    await Promise.all(pending.map((entry) => this.listModels(entry, signal ? AbortSignal.any([signal, timeout]) : timeout)));
  }

  /** Lists one backend's models, once at a time however many callers ask; a list that changed is reported. */
  listModels(entry: BackendEntry, signal?: AbortSignal): Promise<void> {
    return this.readModels(entry, signal, true);
  }

  private readModels(entry: BackendEntry, signal: AbortSignal | undefined, report: boolean): Promise<void> {
    const running = this.listing.get(entry.id);
    if (running) return running;
    const listing = entry.backend
      .listModels(signal)
      .then((models) => {
        const previous = entry.models;
        entry.models = models;
        entry.health.recordSuccess();
        this.listingFailedAt.delete(entry.id);
        if (report && !isSameModelList(previous, models)) this.observer.onModelsChange({ backendId: entry.id, models, previous });
      })
      .catch((error: unknown) => {
        entry.health.recordFailure(error);
        if (!(error instanceof BackendConnectionError)) this.listingFailedAt.set(entry.id, this.clock.now());
      })
      .finally(() => this.listing.delete(entry.id));
    this.listing.set(entry.id, listing);
    return listing;
  }

  catalog(): CatalogEntry[] {
    return this.all().map((entry) => ({ backendId: entry.id, models: entry.models }));
  }

  statuses(): BackendStatus[] {
    return this.all().map((entry) => {
      const { backend, health } = entry;
      const status: BackendStatus = {
        id: entry.id,
        kind: backend.kind,
        mode: backend.mode,
        url: backend.baseUrl,
        state: health.state,
        healthy: health.healthy,
        circuit: entry.circuit.state,
        inFlight: entry.limiter.inFlight,
        queued: entry.limiter.queued,
        maxConcurrency: Number.isFinite(entry.maxConcurrency) ? entry.maxConcurrency : null,
        latencyEwmaMs: entry.stats.latencyEwmaMs === undefined ? null : Math.round(entry.stats.latencyEwmaMs),
        tokensPerMinute: entry.stats.tokensPerMinute,
        models: entry.models,
      };
      if (health.lastError !== undefined) status.lastError = health.lastError;
      if (health.checkedAt !== undefined) status.checkedAt = health.checkedAt.toISOString();
      return status;
    });
  }
}

/** Same ids, windows and slots in the same order: what routing and the model list read. */
function isSameModelList(a: BackendModel[] | undefined, b: BackendModel[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  return a.every((model, index) => {
    const other = b[index]!;
    return model.id === other.id && model.contextWindow === other.contextWindow && model.slots === other.slots;
  });
}
