/**
 * The backends anyclaude serves from, what each one offers, and whether it answered lately.
 * Routing decisions come from resolveRoute; this class only holds state and hands out the
 * chosen Backend.
 */
import type { Backend, BackendModel } from "../backends/backend";
import type { Config } from "../config/config-schema";
import { NotFoundError, ProxyError } from "../errors/proxy-error";
import type { CatalogEntry } from "./model-catalog";
import { resolveRoute, type RouteDecision, type RouteInput } from "./resolve-route";

export type BackendState = "up" | "down" | "unknown";

export interface BackendStatus {
  id: string;
  kind: string;
  mode: string;
  url: string;
  state: BackendState;
  models: BackendModel[] | undefined;
  lastError?: string;
  checkedAt?: string;
}

export interface DispatchTarget {
  backend: Backend;
  decision: RouteDecision;
}

export interface AttemptRecord {
  backendId: string;
  model: string;
  error?: unknown;
}

export interface Dispatched<T> extends DispatchTarget {
  result: T;
  /** Every backend tried, in order; the last one answered. */
  attempts: AttemptRecord[];
}

/** The last attempt's error, with every attempt made, for logs, metrics and headers. */
export class DispatchError extends Error {
  constructor(
    readonly failure: unknown,
    readonly attempts: AttemptRecord[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
  }
}

interface Entry {
  backend: Backend;
  status: BackendStatus;
}

export class BackendPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    backends: Backend[],
    private readonly routing: Pick<Config, "models" | "routes">,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const backend of backends) {
      this.entries.set(backend.id, {
        backend,
        status: { id: backend.id, kind: backend.kind, mode: backend.mode, url: backend.baseUrl, state: "unknown", models: undefined },
      });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Asks every backend for its models; a backend that fails is marked down with the reason. */
  async refresh(signal?: AbortSignal): Promise<BackendStatus[]> {
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        try {
          entry.status.models = await entry.backend.listModels(signal);
          this.markUp(entry.backend.id);
        } catch (error) {
          this.markDown(entry.backend.id, error);
        }
      }),
    );
    return this.statuses();
  }

  /**
   * Routes the request and runs `attempt` against the chosen backend. This is the seam where
   * retries, fallbacks and circuit breaking belong: `attempt` must only resolve once the answer
   * is certain to be sendable (see startAnswer), so whatever it throws can be tried elsewhere.
   */
  async dispatch<T>(input: RouteInput, attempt: (target: DispatchTarget) => Promise<T>): Promise<Dispatched<T>> {
    const target = this.select(input);
    const attempts: AttemptRecord[] = [];
    try {
      const result = await attempt(target);
      attempts.push({ backendId: target.backend.id, model: target.decision.model });
      this.markUp(target.backend.id);
      return { result, ...target, attempts };
    } catch (error) {
      attempts.push({ backendId: target.backend.id, model: target.decision.model, error });
      if (error instanceof ProxyError && error.retryable) this.markDown(target.backend.id, error);
      throw new DispatchError(error, attempts);
    }
  }

  select(input: RouteInput): DispatchTarget {
    const decision = resolveRoute(input, this.routing, this.catalog());
    const entry = this.entries.get(decision.backendId);
    if (!entry) throw new NotFoundError(`route target names unknown backend "${decision.backendId}"`);
    return { backend: entry.backend, decision };
  }

  catalog(): CatalogEntry[] {
    return [...this.entries.values()].map(({ status }) => ({ backendId: status.id, models: status.models }));
  }

  statuses(): BackendStatus[] {
    return [...this.entries.values()].map(({ status }) => ({ ...status }));
  }

  markUp(backendId: string): void {
    const status = this.entries.get(backendId)?.status;
    if (!status) return;
    status.state = "up";
    status.lastError = undefined;
    status.checkedAt = this.now().toISOString();
  }

  markDown(backendId: string, error: unknown): void {
    const status = this.entries.get(backendId)?.status;
    if (!status) return;
    status.state = "down";
    status.lastError = error instanceof Error ? error.message : String(error);
    status.checkedAt = this.now().toISOString();
  }
}
