/**
 * Which requests a collector pause met: the benchmark notes when each request started and how
 * long it took, and when each line of the proxy's collector log arrived (BUN_JSC_logGC=1 writes a
 * pause's line as it ends, with its length). A pause that ended at or before its line arrived, and
 * lasted `ms`, lay within [arrival - ms - slack, arrival], where the slack covers the pipe and
 * the benchmark's own event loop. A request met the pause when the two overlap.
 */
import type { GcPause } from "./gc-pauses";
import { nearestRank } from "./latency-stats";

export interface TimedRequest {
  /** performance.now() when the request was sent. */
  startedAt: number;
  ms: number;
}

export interface LoggedPause extends GcPause {
  /** performance.now() when its log line arrived. */
  loggedAt: number;
}

export interface TailAttribution {
  /** The nearest-rank p99 of all requests, and the slowest 1% (at or above it). */
  p99: number;
  slowest: number;
  /** How many of the slowest 1% met a young pause, a full one (and no young one), or none. */
  metYoung: number;
  metFull: number;
  metNone: number;
  /** Pauses that met at least one request. */
  pausesMeetingRequests: number;
  /** The p99 of the requests that met no pause: the tail without the proxy's collector. */
  p99WithoutPaused: number;
}

/**
 * @example
 * meets({ startedAt: 10, ms: 2 }, { scope: "Eden", ms: 1, loggedAt: 11.5 }, 0.5) // true
 */
export function meets(request: TimedRequest, pause: LoggedPause, slackMs: number): boolean {
  return request.startedAt < pause.loggedAt && request.startedAt + request.ms > pause.loggedAt - pause.ms - slackMs;
}

/**
 * @example
 * const tail = attributeTail(proxiedRequests, pauses, 1);
 * console.log(`${tail.metYoung} of the slowest ${tail.slowest} met a young collection`);
 */
export function attributeTail(requests: readonly TimedRequest[], pauses: readonly LoggedPause[], slackMs: number): TailAttribution {
  if (requests.length === 0) throw new Error("no requests to attribute");
  const p99 = nearestRank(
    requests.map((request) => request.ms).sort((a, b) => a - b),
    99,
  );
  const met = requests.map((request) => pauses.filter((pause) => meets(request, pause, slackMs)));
  const slowest = requests.flatMap((request, index) => (request.ms >= p99 ? [met[index]!] : []));
  const unpaused = requests.filter((_, index) => met[index]!.length === 0).map((request) => request.ms);
  return {
    p99,
    slowest: slowest.length,
    metYoung: slowest.filter((pausesMet) => pausesMet.some((pause) => pause.scope === "Eden")).length,
    metFull: slowest.filter((pausesMet) => pausesMet.length > 0 && pausesMet.every((pause) => pause.scope === "Full")).length,
    metNone: slowest.filter((pausesMet) => pausesMet.length === 0).length,
    pausesMeetingRequests: new Set(met.flat()).size,
    p99WithoutPaused:
      unpaused.length > 0
        ? nearestRank(
            unpaused.sort((a, b) => a - b),
            99,
          )
        : Number.NaN,
  };
}
