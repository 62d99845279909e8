/**
 * The soak's figures from what it recorded: correct, refused, wrong and lost answers per scenario,
 * the proxy's RSS and descriptors over time with a least-squares trend over the second half, and
 * the latency it added over the same requests sent straight to the engine.
 */
import type { SoakOutcome } from "./judge-soak-answer";
import { subtractPercentiles, summarizeLatencies } from "./latency-stats";
import type { ProcessSample } from "./sample-process";
import type { SoakRequest } from "./soak-scenarios";

export interface SoakRecord {
  request: SoakRequest;
  outcome: SoakOutcome;
  correct: boolean;
  detail?: string;
  ms: number;
  timedOut: boolean;
}

export interface SoakRun {
  records: SoakRecord[];
  /** Milliseconds of the same JSON and stream requests sent straight to the engine. */
  direct: number[];
  /** Ids the engine wrote a complete answer for. */
  completed: ReadonlySet<string>;
  samples: ProcessSample[];
  seconds: number;
  concurrency: number;
  proxyLog: string;
}

/** Second-half growth larger than this share of its mean is not flat (GC heap steps are smaller). */
const FLAT_SHARE = 0.1;

/**
 * Prints the report; true when nothing was lost or wrong, nothing hung, and RSS and descriptors stayed flat.
 *
 * @example
 * const ok = reportSoak({ records, direct, completed, samples, seconds, concurrency: 32, proxyLog });
 */
export function reportSoak(run: SoakRun): boolean {
  const rows = new Map<string, { sent: number; correct: number; refused: number; wrong: number; lost: number }>();
  const problems: string[] = [];
  for (const record of run.records) {
    const { scenario, id } = record.request;
    const row = rows.get(scenario.name) ?? { sent: 0, correct: 0, refused: 0, wrong: 0, lost: 0 };
    rows.set(scenario.name, row);
    row.sent++;
    if (record.correct) row.correct++;
    else if (scenario.kind === "cache" || (scenario.kind === "complete" && run.completed.has(id))) row.lost++;
    else if (scenario.kind === "complete" && record.outcome === "error") row.refused++;
    else row.wrong++;
    if (!record.correct && problems.length < 20) problems.push(record.detail ?? "?");
  }
  const sum = (field: "sent" | "correct" | "refused" | "wrong" | "lost") =>
    [...rows.values()].reduce((total, row) => total + row[field], 0);
  const hangs = run.records.filter((record) => record.timedOut).length;
  console.log(
    `soak: ${sum("sent")} requests at concurrency ${run.concurrency} in ${run.seconds.toFixed(0)} s (${(sum("sent") / run.seconds).toFixed(0)}/s)`,
  );
  console.log("  scenario     sent  correct  refused  wrong  lost");
  for (const [name, row] of rows) {
    console.log(
      `  ${name.padEnd(10)} ${[row.sent, row.correct, row.refused, row.wrong, row.lost].map((n) => String(n).padStart(7)).join(" ")}`,
    );
  }
  console.log(
    `  answered correctly: ${sum("correct")}; refused with an explicit error, the engine never having answered: ${sum("refused")}`,
  );
  console.log(
    `  wrong: ${sum("wrong")}; LOST (the engine completed, the client did not get it whole): ${sum("lost")}; client timeouts: ${hangs}`,
  );
  for (const problem of problems) console.log(`    ${problem}`);

  const storeWarnings = run.proxyLog.split("\n").filter((line) => line.includes("cache store unavailable")).length;
  console.log(`  proxy log: ${run.proxyLog.split("\n").filter(Boolean).length} lines, "cache store unavailable" ${storeWarnings} times`);

  const flat = reportResources(run.samples);
  const proxied = run.records
    .filter((record) => record.correct && ["json", "stream"].includes(record.request.scenario.name))
    .map((r) => r.ms);
  if (proxied.length > 0 && run.direct.length > 0) {
    const through = summarizeLatencies(proxied);
    const straight = summarizeLatencies(run.direct);
    const added = subtractPercentiles(through, straight);
    const show = (p: { p50: number; p95: number; p99: number }) =>
      `p50 ${p.p50.toFixed(2)}  p95 ${p.p95.toFixed(2)}  p99 ${p.p99.toFixed(2)} ms`;
    console.log(`  latency of json+stream through anyclaude (${proxied.length}): ${show(through)}`);
    console.log(`  the same straight to the engine (${run.direct.length}):        ${show(straight)}`);
    console.log(`  added: ${show(added)}; p99 ratio ${(through.p99 / straight.p99).toFixed(2)}x`);
  }
  return sum("lost") === 0 && sum("wrong") === 0 && hangs === 0 && flat;
}

function reportResources(samples: ProcessSample[]): boolean {
  const step = Math.max(1, Math.floor(samples.length / 12));
  console.log("  time s   done     RSS MB  fds");
  for (const [index, sample] of samples.entries()) {
    if (index % step !== 0 && index !== samples.length - 1) continue;
    console.log(
      `  ${sample.seconds.toFixed(0).padStart(6)} ${String(sample.done).padStart(7)} ${(sample.rssBytes / 1e6).toFixed(0).padStart(8)} ${String(sample.fds).padStart(5)}`,
    );
  }
  const half = samples.filter((sample) => sample.seconds >= samples.at(-1)!.seconds / 2);
  const rss = trendOver(half, (sample) => sample.rssBytes);
  const fds = trendOver(half, (sample) => sample.fds);
  const rssFlat = rss.growth <= FLAT_SHARE * rss.mean;
  // Sockets come and go with the load: a few either way is noise, a leak grows with every request.
  const fdsFlat = fds.growth <= Math.max(8, FLAT_SHARE * fds.mean);
  console.log(
    `  second half: RSS trend ${(rss.growth / 1e6).toFixed(1)} MB over a mean of ${(rss.mean / 1e6).toFixed(0)} MB (${rssFlat ? "flat" : "GROWING"}), ` +
      `fds trend ${fds.growth.toFixed(1)} over a mean of ${fds.mean.toFixed(0)} (${fdsFlat ? "flat" : "GROWING"})`,
  );
  return rssFlat && fdsFlat;
}

/** Least-squares slope times the span: growth over the samples, less fooled by one GC step than two end points. */
function trendOver(samples: ProcessSample[], read: (sample: ProcessSample) => number): { growth: number; mean: number } {
  const n = samples.length;
  const meanX = samples.reduce((sum, sample) => sum + sample.seconds, 0) / n;
  const mean = samples.reduce((sum, sample) => sum + read(sample), 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.seconds - meanX) * (read(sample) - mean);
    variance += (sample.seconds - meanX) ** 2;
  }
  const span = samples.at(-1)!.seconds - samples[0]!.seconds;
  return { growth: variance === 0 ? 0 : (covariance / variance) * span, mean };
}
