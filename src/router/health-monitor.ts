/**
 * The periodic health probes: each backend is asked its cheapest endpoint (Backend.checkHealth)
 * every `intervalMs`, and every `unhealthyIntervalMs` once a probe failed, so that a dead backend
 * leaves the rotation soon and comes back soon after it recovers. After a successful probe the
 * model list is read again when it is unknown (an engine that came up after anyclaude), when
 * the probe before failed (an engine restarted, perhaps with another model or window), or when
 * it is a minute old (a model pulled or loaded, an engine restarted with another window); a
 * prompt the engine refused as too long has it read at once (walk-fallback-chain.ts). Timers
 * never keep the process alive and all stop with `stop()`.
 */
import type { Config } from "../config/config-schema";
import type { BackendEntry } from "./backend-entry";
import type { BackendPool } from "./backend-pool";
import { type RouterClock, SYSTEM_CLOCK } from "./router-clock";

export type HealthSettings = Config["health"];

/** Model lists change when someone pulls or loads a model; a minute late is soon enough. */
const MODEL_LIST_MAX_AGE_MS = 60_000;

export class HealthMonitor {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly stopping = new AbortController();
  private running = false;
  private lastRoundAt = Number.NEGATIVE_INFINITY;
  /** When each backend's model list was last read by a probe, on the router clock. */
  private readonly listedAt = new Map<string, number>();

  constructor(
    private readonly pool: BackendPool,
    private readonly settings: HealthSettings,
    private readonly clock: RouterClock = SYSTEM_CLOCK,
  ) {}

  /** Starts the probe timers (nothing when `health.enabled` is false). */
  start(): void {
    if (!this.settings.enabled || this.running || this.stopping.signal.aborted) return;
    this.running = true;
    for (const entry of this.pool.all()) this.schedule(entry);
  }

  /** Starts probing a backend that joined after start() (found by discovery). */
  watch(entry: BackendEntry): void {
    if (this.running && !this.timers.has(entry.id)) this.schedule(entry);
  }

  /** Clears every timer and aborts the probes under way. */
  stop(): void {
    this.running = false;
    this.stopping.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * Probes every backend now, unless a full round ran within `maxAgeMs` (what /health does
   * with probing switched off, so its answer is never older than that).
   *
   * @example
   * await monitor.probeAll(5_000);
   */
  async probeAll(maxAgeMs = 0): Promise<void> {
    if (this.clock.now() - this.lastRoundAt < maxAgeMs) return;
    this.lastRoundAt = this.clock.now();
    await Promise.all(this.pool.all().map((entry) => this.probe(entry)));
  }

  /** One probe: the outcome counts toward the backend's health like a request's would. */
  async probe(entry: BackendEntry): Promise<void> {
    const wasFailing = entry.health.consecutiveFailures > 0;
    try {
      await entry.backend.checkHealth({ timeoutMs: this.settings.timeoutMs, signal: this.stopping.signal });
    } catch (error) {
      if (!this.stopping.signal.aborted) entry.health.recordFailure(error);
      return;
    }
    entry.health.recordSuccess();
    const now = this.clock.now();
    // A list read at start-up counts from the first probe.
    const listedAt = this.listedAt.get(entry.id) ?? now;
    this.listedAt.set(entry.id, listedAt);
    if (!wasFailing && entry.models !== undefined && now - listedAt < MODEL_LIST_MAX_AGE_MS) return;
    this.listedAt.set(entry.id, now);
    await this.pool.listModels(entry, this.stopping.signal);
  }

  private schedule(entry: BackendEntry): void {
    const delay = entry.health.consecutiveFailures === 0 ? this.settings.intervalMs : this.settings.unhealthyIntervalMs;
    const timer = setTimeout(async () => {
      await this.probe(entry);
      if (this.running) this.schedule(entry);
    }, delay);
    timer.unref();
    this.timers.set(entry.id, timer);
  }
}
