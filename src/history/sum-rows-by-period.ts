/**
 * What a batch of history rows adds to the store's totals: one delta per backend and period, at
 * each of the three resolutions, with the latency and time-to-first-token histograms as the
 * store keeps them. A batch of a few hundred requests from one minute becomes a handful of
 * upserts rather than three per row.
 */
import type { PeriodTotals } from "../store/request-history-repository";
import type { NewRequestHistoryRow } from "../store/request-history-row";
import { addHistogram, findLatencyBucket, type Histogram, writeStoredHistogram } from "./latency-buckets";
import { addPeriodCounters, PERIOD_SPANS, type PeriodCounters, zeroPeriodCounters } from "./period-counters";

const MINUTE_MS = 60_000;

interface PeriodSum {
  key: Pick<PeriodTotals, "span" | "minute" | "backend">;
  counters: PeriodCounters;
  latency: Histogram;
  ttft: Histogram;
}

/**
 * @example
 * repository.insert(rows, sumRowsByPeriod(rows));
 */
export function sumRowsByPeriod(rows: readonly NewRequestHistoryRow[]): PeriodTotals[] {
  const periods = new Map<string, PeriodSum>();
  for (const row of rows) {
    const counters = countRow(row);
    const latency = new Map([[findLatencyBucket(row.latencyMs), 1]]);
    const ttft: Histogram = row.ttftMs == null ? new Map() : new Map([[findLatencyBucket(row.ttftMs), 1]]);
    for (const span of PERIOD_SPANS) {
      const key = { span, minute: Math.floor(row.at / MINUTE_MS / span) * span, backend: row.backend ?? "" };
      const id = `${key.span}/${key.minute}/${key.backend}`;
      const period = periods.get(id) ?? { key, counters: zeroPeriodCounters(), latency: new Map(), ttft: new Map() };
      periods.set(id, period);
      addPeriodCounters(period.counters, counters);
      addHistogram(period.latency, latency);
      addHistogram(period.ttft, ttft);
    }
  }
  return [...periods.values()].map((period) => ({
    ...period.key,
    ...period.counters,
    latencyHistogram: writeStoredHistogram(period.latency),
    ttftHistogram: writeStoredHistogram(period.ttft),
  }));
}

/** One row's share of its periods' counters. */
function countRow(row: NewRequestHistoryRow): PeriodCounters {
  const hit = row.cache === "hit" || row.cache === "semantic";
  // Tokens count what backends did: a hit's were spent when its answer was first made.
  const byBackend = (tokens: number | null | undefined) => (row.backend == null ? 0 : (tokens ?? 0));
  // Generation speed counts completed live streams, after their first token.
  const generated =
    row.backend != null && row.outcome === "completed" && (row.outputTokens ?? 0) > 0 && row.ttftMs != null && row.latencyMs > row.ttftMs;
  return {
    requests: 1,
    errors: row.errorType == null ? 0 : 1,
    fallbacks: row.fallback ? 1 : 0,
    cacheHits: row.cache === "hit" ? 1 : 0,
    semanticHits: row.cache === "semantic" ? 1 : 0,
    cacheMisses: row.cache === "miss" ? 1 : 0,
    cacheBypasses: row.cache === "bypass" ? 1 : 0,
    latencyMsSum: row.latencyMs,
    hitLatencyMsSum: hit ? row.latencyMs : 0,
    ttftMsSum: row.ttftMs ?? 0,
    ttftCount: row.ttftMs == null ? 0 : 1,
    inputTokens: byBackend(row.inputTokens),
    outputTokens: byBackend(row.outputTokens),
    cachedTokens: byBackend(row.cachedTokens),
    generationTokens: generated ? row.outputTokens! : 0,
    generationMsSum: generated ? row.latencyMs - row.ttftMs! : 0,
    contextUtilizationSum: row.contextUtilization ?? 0,
    contextUtilizationCount: row.contextUtilization == null ? 0 : 1,
    tokensTrimmed: row.tokensTrimmed ?? 0,
    promptTokensSaved: row.promptTokensSaved ?? 0,
    toolCalls: row.toolCalls ?? 0,
    searchCalls: row.searchCalls ?? 0,
  };
}
