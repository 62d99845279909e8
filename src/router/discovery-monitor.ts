/**
 * Discovery after start-up: with no backend configured, the usual local ports where nothing
 * answered are probed again in the background, often at first and less often as time goes by
 * (`rescanMs` doubling up to `rescanMaxMs`), and at once when a request finds no backend
 * available. An engine that answers joins the pool and the health probes, which watch it from
 * then on. Timers never keep the process alive and all stop with `stop()`.
 */
import { type DiscoveredBackend, discoverLocalBackends } from "../backends/discover-local-backends";
import type { Config } from "../config/config-schema";
import type { BackendPool, PooledBackend } from "./backend-pool";
import type { HealthMonitor } from "./health-monitor";
import type { RouterObserver } from "./router-observer";

export type DiscoverySettings = Pick<Config["discovery"], "timeoutMs" | "rescanMs" | "rescanMaxMs">;

/** What the router asks before routing while no backend is available. */
export interface EngineFinder {
  /** Resolves once a look at the empty ports that began after this call has ended (within 2 × `timeoutMs`). */
  findNow(): Promise<void>;
}

/** Discovery as /health and doctor show it. */
export interface DiscoveryStatus {
  /** Ports on 127.0.0.1 still looked at: nothing has answered there yet. */
  watching: number[];
  /** When the next background look is due; null once every port answered, or after stop(). */
  nextLookAt: string | null;
  /** The engines found after start-up, in order. */
  found: Array<{ backend: string; url: string; at: string }>;
}

export class DiscoveryMonitor implements EngineFinder {
  private watching: number[];
  private delayMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextLookAt: number | undefined;
  /** The look under way, shared by whoever asks meanwhile. */
  private looking: Promise<boolean> | undefined;
  /** The look requests wait for: one that starts after the look under way, shared by them all. */
  private queued: Promise<void> | undefined;
  private readonly found: DiscoveryStatus["found"] = [];
  private joined: { pool: BackendPool; health: HealthMonitor } | undefined;
  private stopped = false;

  constructor(
    /** The ports still to look at: those where nothing answered at start-up. */
    ports: number[],
    private readonly settings: DiscoverySettings,
    /** Makes a backend of what answered (settings, API key, id); may throw, the port is then looked at again. */
    private readonly connect: (found: DiscoveredBackend) => Promise<PooledBackend>,
    private readonly observer: RouterObserver,
  ) {
    this.watching = [...ports];
    this.delayMs = settings.rescanMs;
  }

  /** Starts looking in the background; what it finds joins `pool` and is probed by `health`. */
  start(pool: BackendPool, health: HealthMonitor): void {
    if (this.joined || this.stopped) return;
    this.joined = { pool, health };
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.stopTimer();
  }

  /**
   * A look that begins after this call: one already under way may have begun before the engine
   * listened. Requests arriving together share one.
   *
   * @example
   * if (!pool.all().some((entry) => entry.available)) await discovery.findNow();
   */
  findNow(): Promise<void> {
    if (!this.joined || this.stopped || this.watching.length === 0) return Promise.resolve();
    this.queued ??= (this.looking ?? Promise.resolve(false)).then(async () => {
      this.queued = undefined;
      await this.lookOnce();
    });
    return this.queued;
  }

  status(): DiscoveryStatus {
    return {
      watching: [...this.watching],
      nextLookAt: this.nextLookAt === undefined ? null : new Date(this.nextLookAt).toISOString(),
      found: [...this.found],
    };
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.nextLookAt = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.watching.length === 0) {
      this.nextLookAt = undefined;
      return;
    }
    const delayMs = this.delayMs;
    this.nextLookAt = Date.now() + delayMs;
    this.timer = setTimeout(async () => {
      const added = await this.lookOnce();
      // Soon again after a find (engines often start together), less and less often while nothing comes.
      this.delayMs = added ? this.settings.rescanMs : Math.min(this.delayMs * 2, this.settings.rescanMaxMs);
      this.schedule();
    }, delayMs);
    this.timer.unref();
  }

  private lookOnce(): Promise<boolean> {
    this.looking ??= this.look().finally(() => {
      this.looking = undefined;
    });
    return this.looking;
  }

  /** One look at every port still empty; true when an engine joined. */
  private async look(): Promise<boolean> {
    const { pool, health } = this.joined!;
    const answered = await discoverLocalBackends(this.watching, this.settings.timeoutMs);
    let added = false;
    for (const engine of answered) {
      if (this.stopped) break;
      let entry: ReturnType<BackendPool["add"]>;
      try {
        entry = pool.add(await this.connect(engine));
      } catch (error) {
        this.observer.onDiscoveryError({ url: engine.url, error });
        continue;
      }
      this.watching = this.watching.filter((port) => port !== engine.port);
      if (this.watching.length === 0) this.stopTimer();
      this.found.push({ backend: entry.id, url: engine.url, at: new Date().toISOString() });
      this.observer.onBackendFound({ backendId: entry.id, url: engine.url, kind: entry.backend.kind, mode: entry.backend.mode });
      await pool.listModels(entry);
      health.watch(entry);
      added = true;
    }
    return added;
  }
}
