/**
 * A backend's concurrency limit with a bounded waiting line: requests beyond the limit wait
 * (for a bounded time, in a line of bounded length) instead of piling onto a busy engine, and
 * interactive requests are served before background ones (titles, the small-fast slot).
 */
import { OverloadedError } from "../errors/proxy-error";

export type RequestPriority = "interactive" | "background";

export interface ConcurrencyLimiterOptions {
  /** Requests running at once; `Infinity` for no limit. */
  maxConcurrency: number;
  /** Requests waiting at once, both priorities together; 0 rejects whenever all slots are busy. */
  maxQueueDepth: number;
  /** How long one request may wait for a slot; `Infinity` waits as long as it takes. */
  maxQueueWaitMs: number;
  /** Names the backend in the overload message. */
  name?: string;
}

/** The timer functions, injectable so that tests decide when a wait runs out. */
export interface LimiterTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
  reject: (reason: unknown) => void;
  timer: unknown;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

const SYSTEM_TIMERS: LimiterTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * @example
 * const limiter = new ConcurrencyLimiter({ maxConcurrency: 4, maxQueueDepth: 32, maxQueueWaitMs: 30_000, name: "llamacpp-8080" });
 * const release = await limiter.acquire("interactive", signal); // throws OverloadedError when full or too slow
 * try { await callBackend(); } finally { release(); }
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly lines: Record<RequestPriority, Waiter[]> = { interactive: [], background: [] };

  constructor(
    private readonly options: ConcurrencyLimiterOptions,
    private readonly timers: LimiterTimers = SYSTEM_TIMERS,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.lines.interactive.length + this.lines.background.length;
  }

  /**
   * Resolves with the slot's release function once a slot is free. Rejects with
   * OverloadedError when the line is full or the wait runs out, and with the signal's reason
   * when the signal aborts first (the waiter leaves the line).
   */
  acquire(priority: RequestPriority, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Nobody waits while a slot is free: a release hands its slot straight to the next waiter.
    if (this.running < this.options.maxConcurrency) {
      this.running++;
      return Promise.resolve(this.createRelease());
    }
    if (this.queued >= this.options.maxQueueDepth) {
      return Promise.reject(this.overloaded(`${this.queued} requests are already waiting, the most allowed`));
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, reject, timer: undefined, signal, onAbort: () => {} };
      const leave = (reason: unknown) => {
        this.remove(priority, waiter);
        reject(reason);
      };
      if (Number.isFinite(this.options.maxQueueWaitMs)) {
        waiter.timer = this.timers.setTimeout(
          () => leave(this.overloaded(`no slot came free within ${this.options.maxQueueWaitMs} ms`)),
          this.options.maxQueueWaitMs,
        );
      }
      waiter.onAbort = () => leave(signal?.reason);
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.lines[priority].push(waiter);
    });
  }

  /** Hands a freed slot straight to the next waiter, so a newcomer cannot overtake the line. */
  private createRelease(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.lines.interactive.shift() ?? this.lines.background.shift();
      if (next === undefined) {
        this.running--;
        return;
      }
      this.detach(next);
      next.grant(this.createRelease());
    };
  }

  private remove(priority: RequestPriority, waiter: Waiter): void {
    const line = this.lines[priority];
    const index = line.indexOf(waiter);
    if (index >= 0) line.splice(index, 1);
    this.detach(waiter);
  }

  private detach(waiter: Waiter): void {
    if (waiter.timer !== undefined) this.timers.clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  /** Retry after about as long as a wait may last: by then the line has moved on. */
  private overloaded(detail: string): OverloadedError {
    const retryAfterSeconds = Number.isFinite(this.options.maxQueueWaitMs) ? Math.max(1, Math.ceil(this.options.maxQueueWaitMs / 1000)) : 1;
    return new OverloadedError(`${this.options.name ?? "backend"}: ${detail}`, retryAfterSeconds);
  }
}
