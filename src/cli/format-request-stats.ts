/** The text `anyclaude stats` prints: the last hour and the last day side by side, then the backends. */
import type { BackendStats, RequestStats } from "../history/request-stats-schema";

export interface StatsReport {
  /** `http://…` of the server asked, or the database file read. */
  source: string;
  hour: RequestStats;
  day: RequestStats;
}

const LABEL_WIDTH = 22;
const COLUMN_WIDTH = 20;

/**
 * @example
 * io.stdout(formatRequestStats({ source: "http://127.0.0.1:8082", hour, day }));
 * // "anyclaude stats, from http://127.0.0.1:8082\n\n                      last hour   last day\nrequests ..."
 */
export function formatRequestStats(report: StatsReport): string {
  const rows: Array<[string, (stats: RequestStats) => string]> = [
    ["requests", (stats) => formatCount(stats.requests)],
    ["errors", (stats) => formatCount(stats.errors)],
    ["after a fallback", (stats) => formatCount(stats.fallbacks)],
    ["cache hit rate", (stats) => formatRate(stats.cache.hitRate)],
    ["cache hits / misses", (stats) => `${formatCount(stats.cache.hits + stats.cache.semanticHits)} / ${formatCount(stats.cache.misses)}`],
    ["time saved by cache", (stats) => formatDuration(stats.cache.timeSavedMs)],
    ["latency p50 / p95", (stats) => `${formatDuration(stats.latencyMs.p50)} / ${formatDuration(stats.latencyMs.p95)}`],
    ["first token p50 / p95", (stats) => `${formatDuration(stats.ttftMs.p50)} / ${formatDuration(stats.ttftMs.p95)}`],
    ["tokens in / out", (stats) => `${formatCount(stats.tokens.input)} / ${formatCount(stats.tokens.output)}`],
    ["tokens per second", (stats) => (stats.tokens.perSecond === null ? "-" : stats.tokens.perSecond.toFixed(1))],
  ];
  const lines = [
    `anyclaude stats, from ${report.source}`,
    "",
    `${"".padEnd(LABEL_WIDTH)}${"last hour".padStart(COLUMN_WIDTH)}${"last day".padStart(COLUMN_WIDTH)}`,
  ];
  for (const [label, show] of rows)
    lines.push(`${label.padEnd(LABEL_WIDTH)}${show(report.hour).padStart(COLUMN_WIDTH)}${show(report.day).padStart(COLUMN_WIDTH)}`);
  lines.push("", "backends, last day:");
  if (report.day.backends.length === 0) lines.push("  none");
  for (const backend of report.day.backends) lines.push(`  ${formatBackend(backend)}`);
  return `${lines.join("\n")}\n`;
}

function formatBackend(backend: BackendStats): string {
  const now =
    backend.state === undefined
      ? ""
      : ` ${backend.state}, circuit ${backend.circuit}, ${backend.inFlight} in flight, ${backend.queued} queued;`;
  const speed = backend.tokensPerSecond === null ? "" : `, ${backend.tokensPerSecond.toFixed(1)} tokens/s`;
  return `${backend.id}:${now} ${formatCount(backend.requests)} requests, ${formatCount(backend.errors)} errors, mean ${formatDuration(backend.meanLatencyMs)}${speed}`;
}

function formatCount(value: number): string {
  return value.toLocaleString("en");
}

function formatRate(value: number | null): string {
  return value === null ? "-" : `${(value * 100).toFixed(1)} %`;
}

function formatDuration(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
