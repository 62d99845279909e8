/**
 * The overhead targets of issue 2, checked against one run's figures. A target with no matching
 * measurement is reported as not met rather than skipped.
 */
import type { Percentiles } from "./latency-stats";
import type { AnswerMode, BodyName } from "./prepare-overhead-requests";
import type { RssTrack } from "./track-proxy-rss";

export interface ScenarioResult {
  body: BodyName;
  mode: AnswerMode;
  concurrency: number;
  /** Requests measured on each side. */
  count: number;
  direct: Percentiles;
  proxied: Percentiles;
  added: Percentiles;
  firstByteAdded: Percentiles;
  /** anyclaude's CPU time (all threads) over the measured requests, per request. */
  proxyCpuMsPerRequest: number;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export const TARGETS = {
  sequentialAddedP50Ms: 0.3,
  sequentialAddedP99Ms: 1.5,
  concurrentAddedP99Ms: 4,
  rssBytes: 90 * 1024 * 1024,
  /** "Not growing": the second half's trend; a leak of 200 bytes a request over 5,000 requests stays under it. */
  secondHalfGrowthBytes: 1 * 1024 * 1024,
} as const;

/**
 * @example
 * for (const check of checkOverheadTargets(results, rss)) console.log(check.met ? "met" : "MISSED", check.target);
 */
export function checkOverheadTargets(results: readonly ScenarioResult[], rss: RssTrack): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const bigSequential = results.filter((result) => result.body === "49KB" && result.concurrency === 1);
  for (const result of bigSequential) {
    checks.push(
      checkAtMost(
        `added p50 <= ${TARGETS.sequentialAddedP50Ms} ms, ${labelScenario(result)}`,
        result.added.p50,
        TARGETS.sequentialAddedP50Ms,
      ),
    );
    checks.push(
      checkAtMost(
        `added p99 <= ${TARGETS.sequentialAddedP99Ms} ms, ${labelScenario(result)}`,
        result.added.p99,
        TARGETS.sequentialAddedP99Ms,
      ),
    );
  }
  for (const result of results.filter((candidate) => candidate.concurrency > 1)) {
    checks.push(
      checkAtMost(
        `added p99 <= ${TARGETS.concurrentAddedP99Ms} ms, ${labelScenario(result)}`,
        result.added.p99,
        TARGETS.concurrentAddedP99Ms,
      ),
    );
  }
  if (bigSequential.length === 0) checks.push({ target: "sequential targets on the 49 KB body", measured: "not measured", met: false });
  // The issue says "RSS after 10,000 requests": read strictly (the peak while under load) and as
  // written (once the load has stopped). Both are printed; neither hides the other.
  checks.push({
    target: `RSS <= ${formatMegabytes(TARGETS.rssBytes)} under load`,
    measured: `peak ${formatMegabytes(rss.peakBytes)}`,
    met: rss.peakBytes <= TARGETS.rssBytes,
  });
  checks.push({
    target: `RSS <= ${formatMegabytes(TARGETS.rssBytes)} after the requests (settled ${rss.settleMs / 1000} s)`,
    measured: formatMegabytes(rss.settledBytes),
    met: rss.settledBytes <= TARGETS.rssBytes,
  });
  checks.push({
    target: `RSS not growing over the second half (trend <= ${formatSignedMegabytes(TARGETS.secondHalfGrowthBytes)})`,
    measured: `trend ${formatSignedMegabytes(rss.secondHalfTrendBytes)}`,
    met: rss.secondHalfTrendBytes <= TARGETS.secondHalfGrowthBytes,
  });
  return checks;
}

/** @example labelScenario({ body: "49KB", mode: "stream", concurrency: 16 }) // "49KB stream c16" */
export function labelScenario(result: Pick<ScenarioResult, "body" | "mode" | "concurrency">): string {
  return `${result.body} ${result.mode} ${result.concurrency === 1 ? "seq" : `c${result.concurrency}`}`;
}

/** @example formatMegabytes(94_371_840) // "90.0 MB" */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** @example formatSignedMegabytes(-1_048_576) // "-1.0 MB" */
export function formatSignedMegabytes(bytes: number): string {
  return `${bytes >= 0 ? "+" : "-"}${formatMegabytes(Math.abs(bytes))}`;
}

function checkAtMost(target: string, value: number, limit: number): TargetCheck {
  return { target, measured: `${value.toFixed(2)} ms`, met: value <= limit };
}
