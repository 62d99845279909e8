/**
 * The counters the store keeps per backend and period (request_totals), and the periods it
 * keeps them for: summed from rows when they are written, summed again over a window's periods
 * when they are read.
 */
import type { PeriodTotals } from "../store/request-history-repository";

/** Minutes per period of the totals: a window is read in one of them (read-request-stats.ts). */
export const PERIOD_SPANS = [1, 15, 240] as const;

export type PeriodCounters = Omit<PeriodTotals, "span" | "minute" | "backend" | "latencyHistogram" | "ttftHistogram">;

/**
 * Every counter at zero; typed as PeriodCounters, so a column added to the table must be added here.
 *
 * @example
 * const totals = zeroPeriodCounters();
 * addPeriodCounters(totals, period);
 */
export function zeroPeriodCounters(): PeriodCounters {
  return {
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
}

const COUNTER_NAMES = Object.keys(zeroPeriodCounters()) as (keyof PeriodCounters)[];

/** Adds every counter of `from` (a period, or one row's share) to `into`. */
export function addPeriodCounters(into: PeriodCounters, from: PeriodCounters): void {
  for (const name of COUNTER_NAMES) into[name] += from[name];
}
