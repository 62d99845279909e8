/**
 * Prints one overhead run as Markdown (readable in a terminal, pasteable into the README): the
 * machine, the latency table, the RSS series and every target with its verdict.
 */
import { formatMegabytes, formatSignedMegabytes, labelScenario, type ScenarioResult, type TargetCheck } from "./check-overhead-targets";
import type { GcPauses, PauseSummary } from "./gc-pauses";
import type { Percentiles } from "./latency-stats";
import type { RssTrack } from "./track-proxy-rss";

export interface RunDescription {
  bunVersion: string;
  cores: number;
  cpuModel: string;
  loadBefore: number[];
  loadAfter: number[];
  /** What was measured, for the title: "anyclaude", or a floor forwarder. */
  subject: string;
  /** Which build of it: version and source or binary. */
  proxyDetail: string;
  /** Short commit, with "+changes" when the working tree differs from it. */
  commit: string;
  date: string;
  /** The proxy's RSS right after start-up, before any request. */
  idleRssBytes: number;
  /** The latency runs' proxy when they ended: requests served (warm-up included) and RSS. */
  latencyRun: { requests: number; rssBytes: number };
  /** The latency runs' collector pauses, when `--gc` asked for them. */
  gcPauses?: GcPauses;
  /** The settings as given: requests per scenario, warm-up, RSS requests... */
  settings: Record<string, number | string | boolean>;
}

/**
 * @example
 * console.log(formatOverheadReport(run, results, rss, checks));
 */
export function formatOverheadReport(
  run: RunDescription,
  results: readonly ScenarioResult[],
  rss: RssTrack,
  checks: readonly TargetCheck[],
): string {
  return [
    formatRunDescription(run),
    "",
    "Times in ms. added = proxied minus direct at the same percentile, both measured in the same interleaved run;",
    "TTFB = until the first body chunk; proxy CPU/req = its user + system CPU time over the measured requests.",
    "",
    formatScenarioTable(results),
    "",
    ...(run.gcPauses ? [formatGcPauses(run.gcPauses, run.latencyRun.requests), ""] : []),
    formatRssTrack(rss, run),
    "",
    formatTargetChecks(checks),
  ].join("\n");
}

function formatRunDescription(run: RunDescription): string {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  return [
    `## ${run.subject} overhead, ${run.date}`,
    "",
    `${run.proxyDetail} (checkout ${run.commit}), Bun ${run.bunVersion}, ${run.cores} cores (${run.cpuModel}); load average ${load(run.loadBefore)} before, ${load(run.loadAfter)} after.`,
    "Shared, noisy machine: client, anyclaude and backend share these cores with whatever else runs; compare figures within a run, not across runs.",
    `Settings: ${Object.entries(run.settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}.`,
  ].join("\n");
}

function formatScenarioTable(results: readonly ScenarioResult[]): string {
  const header = ["scenario", "n", "direct p50/p95/p99", "proxied p50/p95/p99", "added p50/p95/p99", "TTFB added p50/p99", "proxy CPU/req"];
  const rows = results.map((result) => [
    labelScenario(result),
    String(result.count),
    formatTriple(result.direct),
    formatTriple(result.proxied),
    formatTriple(result.added),
    result.mode === "stream" ? `${result.firstByteAdded.p50.toFixed(2)} / ${result.firstByteAdded.p99.toFixed(2)}` : "n/a",
    result.proxyCpuMsPerRequest.toFixed(2),
  ]);
  return formatMarkdownTable(header, rows);
}

function formatRssTrack(rss: RssTrack, run: RunDescription): string {
  const header = ["requests", ...rss.samples.map((sample) => String(sample.requests))];
  const row = ["proxy RSS (MB)", ...rss.samples.map((sample) => (sample.bytes / 1024 / 1024).toFixed(1))];
  return [
    `Proxy RSS: ${formatMegabytes(run.idleRssBytes)} idle after start-up, ${formatMegabytes(run.latencyRun.rssBytes)} after the ${run.latencyRun.requests} requests of the latency runs.`,
    "Series on a fresh proxy (49 KB body, half JSON, half stream, at the concurrency above):",
    "",
    formatMarkdownTable(header, [row]),
    "",
    `Peak ${formatMegabytes(rss.peakBytes)}; first half ${formatSignedMegabytes(rss.firstHalfGrowthBytes)}, second half ${formatSignedMegabytes(rss.secondHalfGrowthBytes)} end to end, ${formatSignedMegabytes(rss.secondHalfTrendBytes)} by its trend; ${formatMegabytes(rss.settledBytes)} ${rss.settleMs / 1000} s after the last request.`,
  ].join("\n");
}

function formatTargetChecks(checks: readonly TargetCheck[]): string {
  const met = checks.filter((check) => check.met).length;
  return [
    formatMarkdownTable(
      ["target", "measured", "verdict"],
      checks.map((check) => [check.target, check.measured, check.met ? "met" : "MISSED"]),
    ),
    "",
    `${met} of ${checks.length} targets met.`,
  ].join("\n");
}

function formatTriple(value: Percentiles): string {
  return `${value.p50.toFixed(2)} / ${value.p95.toFixed(2)} / ${value.p99.toFixed(2)}`;
}

function formatMarkdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function formatGcPauses(pauses: GcPauses, requests: number): string {
  const describe = (name: string, summary: PauseSummary) =>
    summary.count === 0
      ? `no ${name} collection`
      : `${summary.count} ${name} (one per ${Math.round(requests / summary.count)} requests), pause p50 ${summary.p50!.toFixed(2)} / p90 ${summary.p90!.toFixed(2)} / max ${summary.max!.toFixed(2)} ms`;
  return `Collector pauses in the proxy over the latency runs' ${requests} requests (BUN_JSC_logGC=1): ${describe("young", pauses.eden)}; ${describe("full", pauses.full)}.`;
}
