/**
 * The summary of a window of request history: counts, cache outcomes, latency and
 * time-to-first-token percentiles, tokens, per backend and as a series over time. Read from the
 * per-minute totals and histograms, never the rows, so a day costs the same however busy it was.
 */
import type { MinuteRange, RequestHistoryRepository, SlotBucketCount, SlotTotals } from "../store/request-history-repository";
import { type BucketCount, estimatePercentile } from "./latency-buckets";
import type { BackendStats, RequestStats, SeriesPoint } from "./request-stats-schema";

export interface StatsWindow {
  /** The window's end, ms since the epoch; the minute it falls in is included. */
  now: number;
  windowMs: number;
  /** How many recent errors to list. */
  errorsLimit?: number;
}

type Totals = Omit<SlotTotals, "slot" | "backend">;

const MINUTE_MS = 60_000;
/** Points in a series at most: a minute each up to two hours, longer beyond. */
const MAX_POINTS = 120;
const LATENCY = 0;
const TTFT = 1;

/**
 * @example
 * const stats = readRequestStats(repository, { now: Date.now(), windowMs: 3_600_000 });
 * stats.requests; stats.cache.hitRate; stats.latencyMs.p95; stats.series.length; // 60
 */
export function readRequestStats(
  repository: Pick<RequestHistoryRepository, "sumSlots" | "countSlotBuckets" | "listErrors">,
  window: StatsWindow,
): RequestStats {
  const range = planMinuteRange(window);
  const slotTotals = repository.sumSlots(range);
  const slotBuckets = repository.countSlotBuckets(range);
  const from = range.fromMinute * MINUTE_MS;

  const overall = sumTotals(slotTotals);
  const byBackend = new Map<string, SlotTotals[]>();
  for (const row of slotTotals) {
    if (row.backend === "") continue;
    byBackend.set(row.backend, [...(byBackend.get(row.backend) ?? []), row]);
  }
  const backends = [...byBackend].map(([id, rows]) => describeBackend(id, sumTotals(rows)));
  const latency = slotBuckets.filter((row) => row.kind === LATENCY);
  const ttft = slotBuckets.filter((row) => row.kind === TTFT);
  return {
    window: { from, to: range.toMinute * MINUTE_MS, stepMs: range.stepMinutes * MINUTE_MS },
    requests: overall.requests,
    errors: overall.errors,
    fallbacks: overall.fallbacks,
    cache: describeCache(overall),
    latencyMs: { mean: divide(overall.latencyMsSum, overall.requests), ...percentiles(latency) },
    ttftMs: { mean: divide(overall.ttftMsSum, overall.ttftCount), ...percentiles(ttft) },
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
    backends,
    series: buildSeries(range, slotTotals, slotBuckets),
    recentErrors: repository.listErrors(from, window.errorsLimit ?? 10),
  };
}

/** Whole minutes, the current one included, in slots of equal length that end with it. */
function planMinuteRange(window: StatsWindow): MinuteRange {
  const toMinute = Math.floor(window.now / MINUTE_MS) + 1;
  const minutes = Math.max(1, Math.round(window.windowMs / MINUTE_MS));
  const stepMinutes = Math.ceil(minutes / MAX_POINTS);
  return { fromMinute: toMinute - Math.ceil(minutes / stepMinutes) * stepMinutes, toMinute, stepMinutes };
}

function buildSeries(range: MinuteRange, slotTotals: SlotTotals[], slotBuckets: SlotBucketCount[]): SeriesPoint[] {
  const count = (range.toMinute - range.fromMinute) / range.stepMinutes;
  const totalsBySlot = groupBySlot(slotTotals, count);
  const bucketsBySlot = groupBySlot(slotBuckets, count);
  return Array.from({ length: count }, (_, slot): SeriesPoint => {
    const totals = sumTotals(totalsBySlot[slot]!);
    const latency = bucketsBySlot[slot]!.filter((row) => row.kind === LATENCY);
    const ttft = bucketsBySlot[slot]!.filter((row) => row.kind === TTFT);
    return {
      at: (range.fromMinute + slot * range.stepMinutes) * MINUTE_MS,
      requests: totals.requests,
      errors: totals.errors,
      cacheHits: totals.cacheHits + totals.semanticHits,
      cacheMisses: totals.cacheMisses,
      latencyP50: estimatePercentile(latency, 0.5),
      latencyP95: estimatePercentile(latency, 0.95),
      ttftP50: estimatePercentile(ttft, 0.5),
      ttftP95: estimatePercentile(ttft, 0.95),
      tokensPerSecond: divide(totals.generationTokens, totals.generationMsSum / 1000),
    };
  });
}

function groupBySlot<Row extends { slot: number }>(rows: readonly Row[], count: number): Row[][] {
  const groups = Array.from({ length: count }, (): Row[] => []);
  for (const row of rows) groups[row.slot]?.push(row);
  return groups;
}

function describeCache(totals: Totals): RequestStats["cache"] {
  const hits = totals.cacheHits + totals.semanticHits;
  const liveRequests = totals.requests - hits;
  const meanLive = divide(totals.latencyMsSum - totals.hitLatencyMsSum, liveRequests);
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

/** Percentiles over every slot's histogram together. */
function percentiles(rows: SlotBucketCount[]): { p50: number | null; p95: number | null; p99: number | null } {
  const merged = new Map<number, number>();
  for (const { bucket, count } of rows) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
  const buckets: BucketCount[] = [...merged].map(([bucket, count]) => ({ bucket, count }));
  return { p50: estimatePercentile(buckets, 0.5), p95: estimatePercentile(buckets, 0.95), p99: estimatePercentile(buckets, 0.99) };
}

const EMPTY_TOTALS: Totals = {
  requests: 0,
  errors: 0,
  fallbacks: 0,
  cacheHits: 0,
  semanticHits: 0,
  cacheMisses: 0,
  cacheBypasses: 0,
  latencyMsSum: 0,
  hitLatencyMsSum: 0,
  ttftMsSum: 0,
  ttftCount: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  generationTokens: 0,
  generationMsSum: 0,
  contextUtilizationSum: 0,
  contextUtilizationCount: 0,
  tokensTrimmed: 0,
  promptTokensSaved: 0,
  toolCalls: 0,
  searchCalls: 0,
};

function sumTotals(rows: readonly SlotTotals[]): Totals {
  const sum = { ...EMPTY_TOTALS };
  for (const row of rows) for (const name of Object.keys(sum) as (keyof Totals)[]) sum[name] += Number(row[name]);
  return sum;
}

function divide(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
