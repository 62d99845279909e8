/**
 * The summary of a window of request history: counts, cache outcomes, latency and
 * time-to-first-token percentiles, tokens, per backend and as a series over time. Read from the
 * per-period totals and histograms, never the rows: per minute up to two hours, per quarter hour
 * up to 30 hours, per four hours beyond, so a window costs at most 180 periods per backend
 * however busy it was.
 */
import type { PeriodRange, PeriodTotals, RequestHistoryRepository } from "../store/request-history-repository";
import { addHistogram, estimatePercentile, type Histogram, readStoredHistogram } from "./latency-buckets";
import { addPeriodCounters, PERIOD_SPANS, type PeriodCounters, zeroPeriodCounters } from "./period-counters";
import type { BackendStats, RequestStats, SeriesPoint } from "./request-stats-schema";

export interface StatsWindow {
  /** The window's end, ms since the epoch; the period it falls in is included. */
  now: number;
  windowMs: number;
  /** How many recent errors to list. */
  errorsLimit?: number;
}

/** The plan of a window: which periods are read, and how many minutes each point of the series covers. */
interface WindowPlan extends PeriodRange {
  stepMinutes: number;
}

interface Totals extends PeriodCounters {
  latency: Histogram;
  ttft: Histogram;
}

const MINUTE_MS = 60_000;
/** Points in a series at most. */
const MAX_POINTS = 120;
/** The periods a window is read in, by its length; the longest windows fall to the last. */
const SPANS: ReadonlyArray<{ span: (typeof PERIOD_SPANS)[number]; upToMinutes: number }> = [
  { span: PERIOD_SPANS[0], upToMinutes: 120 },
  { span: PERIOD_SPANS[1], upToMinutes: 30 * 60 },
  { span: PERIOD_SPANS[2], upToMinutes: Number.POSITIVE_INFINITY },
];

/**
 * @example
 * const stats = readRequestStats(repository, { now: Date.now(), windowMs: 3_600_000 });
 * stats.requests; stats.cache.hitRate; stats.latencyMs.p95; stats.series.length; // 60
 */
export function readRequestStats(
  repository: Pick<RequestHistoryRepository, "readPeriods" | "listErrors">,
  window: StatsWindow,
): RequestStats {
  const plan = planWindow(window);
  const periods = repository.readPeriods(plan);
  const from = plan.fromMinute * MINUTE_MS;
  const overall = emptyTotals();
  const byBackend = new Map<string, Totals>();
  const bySlot = Array.from({ length: (plan.toMinute - plan.fromMinute) / plan.stepMinutes }, emptyTotals);
  for (const period of periods) {
    const slot = bySlot[Math.floor((period.minute - plan.fromMinute) / plan.stepMinutes)]!;
    if (period.backend === "") {
      addPeriod(period, overall, slot);
      continue;
    }
    if (!byBackend.has(period.backend)) byBackend.set(period.backend, emptyTotals());
    addPeriod(period, overall, slot, byBackend.get(period.backend)!);
  }
  return {
    window: { from, to: plan.toMinute * MINUTE_MS, stepMs: plan.stepMinutes * MINUTE_MS },
    requests: overall.requests,
    errors: overall.errors,
    fallbacks: overall.fallbacks,
    cache: describeCache(overall),
    latencyMs: { mean: divide(overall.latencyMsSum, overall.requests), ...percentiles(overall.latency) },
    ttftMs: { mean: divide(overall.ttftMsSum, overall.ttftCount), ...percentiles(overall.ttft) },
    tokens: {
      input: overall.inputTokens,
      output: overall.outputTokens,
      cached: overall.cachedTokens,
      perSecond: divide(overall.generationTokens, overall.generationMsSum / 1000),
    },
    context: {
      utilization: divide(overall.contextUtilizationSum, overall.contextUtilizationCount),
      tokensTrimmed: overall.tokensTrimmed,
      promptTokensSaved: overall.promptTokensSaved,
    },
    tools: { toolCalls: overall.toolCalls, searchCalls: overall.searchCalls },
    backends: [...byBackend].map(([id, totals]) => describeBackend(id, totals)),
    series: bySlot.map((totals, slot) => describePoint((plan.fromMinute + slot * plan.stepMinutes) * MINUTE_MS, totals)),
    recentErrors: repository.listErrors(from, window.errorsLimit ?? 10),
  };
}

/**
 * Whole periods, the current one included, in slots of equal length that end with it: minutes
 * up to two hours, quarter hours up to 30 hours, four hours beyond (slots of 8 hours at 30 days).
 */
function planWindow(window: StatsWindow): WindowPlan {
  const minutes = Math.max(1, Math.round(window.windowMs / MINUTE_MS));
  const { span } = SPANS.find((level) => minutes <= level.upToMinutes)!;
  const periods = Math.ceil(minutes / span);
  const stepMinutes = Math.ceil(periods / MAX_POINTS) * span;
  const toMinute = (Math.floor(window.now / (span * MINUTE_MS)) + 1) * span;
  return { span, fromMinute: toMinute - Math.ceil((periods * span) / stepMinutes) * stepMinutes, toMinute, stepMinutes };
}

function describePoint(at: number, totals: Totals): SeriesPoint {
  return {
    at,
    requests: totals.requests,
    errors: totals.errors,
    cacheHits: totals.cacheHits + totals.semanticHits,
    cacheMisses: totals.cacheMisses,
    latencyP50: estimatePercentile(totals.latency, 0.5),
    latencyP95: estimatePercentile(totals.latency, 0.95),
    ttftP50: estimatePercentile(totals.ttft, 0.5),
    ttftP95: estimatePercentile(totals.ttft, 0.95),
    tokensPerSecond: divide(totals.generationTokens, totals.generationMsSum / 1000),
  };
}

function describeCache(totals: Totals): RequestStats["cache"] {
  const hits = totals.cacheHits + totals.semanticHits;
  const meanLive = divide(totals.latencyMsSum - totals.hitLatencyMsSum, totals.requests - hits);
  const meanHit = divide(totals.hitLatencyMsSum, hits);
  return {
    hits: totals.cacheHits,
    semanticHits: totals.semanticHits,
    misses: totals.cacheMisses,
    bypasses: totals.cacheBypasses,
    hitRate: divide(hits, hits + totals.cacheMisses),
    timeSavedMs: meanLive === null || meanHit === null ? null : Math.max(0, hits * (meanLive - meanHit)),
  };
}

function describeBackend(id: string, totals: Totals): BackendStats {
  return {
    id,
    requests: totals.requests,
    errors: totals.errors,
    fallbacks: totals.fallbacks,
    meanLatencyMs: divide(totals.latencyMsSum, totals.requests),
    outputTokens: totals.outputTokens,
    tokensPerSecond: divide(totals.generationTokens, totals.generationMsSum / 1000),
  };
}

function percentiles(histogram: Histogram): { p50: number | null; p95: number | null; p99: number | null } {
  return {
    p50: estimatePercentile(histogram, 0.5),
    p95: estimatePercentile(histogram, 0.95),
    p99: estimatePercentile(histogram, 0.99),
  };
}

function emptyTotals(): Totals {
  return { ...zeroPeriodCounters(), latency: new Map(), ttft: new Map() };
}

/** Adds a period to each of `totals`; its histograms are read once for all of them. */
function addPeriod(period: PeriodTotals, ...totals: Totals[]): void {
  const latency = readStoredHistogram(period.latencyHistogram);
  const ttft = readStoredHistogram(period.ttftHistogram);
  for (const into of totals) {
    addPeriodCounters(into, period);
    addHistogram(into.latency, latency);
    addHistogram(into.ttft, ttft);
  }
}

function divide(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
