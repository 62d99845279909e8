/** A request history row with plausible values, for tests and benchmarks that need many of them. */
import { sumRowsByPeriod } from "../../src/history/sum-rows-by-period";
import type { RequestHistoryRepository } from "../../src/store/request-history-repository";
import type { NewRequestHistoryRow, PendingHistoryRow } from "../../src/store/request-history-row";

/**
 * A completed streamed request answered by backend "llama" after a cache miss; `overrides` set
 * any column.
 *
 * @example
 * history.insert([makeHistoryRow({ at: Date.now(), status: 529, outcome: "failed", errorType: "overloaded_error" })]);
 */
export function makeHistoryRow(overrides: Partial<NewRequestHistoryRow> = {}): NewRequestHistoryRow {
  return {
    at: Date.parse("2026-03-04T10:00:00Z"),
    requestId: "req_test",
    clientModel: "claude-sonnet-4-5",
    route: "sonnet",
    backend: "llama",
    targetModel: "qwen3-coder",
    stream: true,
    status: 200,
    outcome: "completed",
    attempts: 1,
    fallback: false,
    latencyMs: 900,
    ttftMs: 120,
    inputTokens: 1200,
    outputTokens: 60,
    cachedTokens: 1000,
    cache: "miss",
    errorType: null,
    ...overrides,
  };
}

/**
 * Writes rows as RequestHistory does: with what they add to the totals.
 *
 * @example
 * writeHistoryRows(repository, [makeHistoryRow({ at: Date.now() })]);
 */
export function writeHistoryRows(repository: RequestHistoryRepository, rows: PendingHistoryRow[]): void {
  repository.insert(rows, sumRowsByPeriod(rows));
}
