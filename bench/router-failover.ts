/**
 * Section `failover` of bench/router.ts: success rate and added latency when one of two
 * backends fails every 3rd request (HTTP 500 before the first byte). Claude Code's recorded
 * 49 KB request, streamed, one at a time (at 4 at a time, the retries' backoff thins out the
 * contention for the 2 cores and skews the comparison); "added" is each scenario minus the
 * healthy pair at the same percentile, in the same process and run. The failures start after
 * the warm-up, so the measured run includes the router noticing them. Three router settings: the defaults (the
 * circuit soon takes the failing backend out), the circuit off (every 3rd request on it is
 * retried after a backoff), and the circuit off without same-target retries (straight to the
 * other backend).
 */
import { join } from "node:path";
import { type Percentiles, summarizeLatencies } from "./latency-stats";
import { startBenchEngine, startBenchProxy, sumMetric } from "./router-bench-setup";

const BODY_PATH = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const REQUESTS = 600;
const CONCURRENCY = 1;
const NO_CIRCUIT = { circuitBreaker: { failureThreshold: 1_000_000_000 } };

interface Scenario {
  name: string;
  failEvery: number;
  overrides: Record<string, unknown>;
}

const SCENARIOS: Scenario[] = [
  { name: "both healthy (baseline)", failEvery: 0, overrides: {} },
  { name: "a fails every 3rd, defaults", failEvery: 3, overrides: {} },
  { name: "a fails every 3rd, circuit off", failEvery: 3, overrides: NO_CIRCUIT },
  { name: "a fails every 3rd, circuit off, retry.maxAttempts 1", failEvery: 3, overrides: { ...NO_CIRCUIT, retry: { maxAttempts: 1 } } },
];

/** @example await measureFailover(); // prints a markdown table */
export async function measureFailover(): Promise<void> {
  const body = await Bun.file(BODY_PATH).text();
  const rows: string[] = [];
  let baseline: Percentiles | undefined;
  for (const scenario of SCENARIOS) {
    const a = startBenchEngine();
    const b = startBenchEngine();
    const proxy = await startBenchProxy(a, b, scenario.overrides);
    try {
      await runRequests(proxy.url, body, 40); // warm-up, not measured: JIT, connection pools
      a.failEvery = scenario.failEvery;
      const aBefore = a.requests;
      const { latencies, succeeded } = await runRequests(proxy.url, body, REQUESTS);
      const stats = summarizeLatencies(latencies);
      baseline ??= stats;
      const retries = await sumMetric(proxy, "anyclaude_router_retries_total");
      const fallbacks = await sumMetric(proxy, "anyclaude_router_fallbacks_total");
      const opened = await sumMetric(proxy, "anyclaude_circuit_transitions_total", 'to="open"');
      rows.push(
        `| ${scenario.name} | ${REQUESTS} | ${((100 * succeeded) / REQUESTS).toFixed(1)} % | ${a.requests - aBefore} | ${format(stats.p50)} / ${format(stats.p99)} | ` +
          `${format(stats.p50 - baseline.p50)} / ${format(stats.p99 - baseline.p99)} | ${retries} | ${fallbacks} | ${opened} |`,
      );
    } finally {
      await proxy.stop(0);
      await Promise.all([a.kill(), b.kill()]);
    }
  }
  process.stdout.write(`\n## Failover: one of two backends failing every 3rd request\n\n`);
  process.stdout.write(
    `${REQUESTS} streamed 49 KB Claude Code requests, ${CONCURRENCY} at a time, group of two (simple-shuffle); times in ms, whole stream read.\n`,
  );
  process.stdout.write(`"sent to a" counts attempts, retries included.\n\n`);
  process.stdout.write(
    `| scenario | requests | success | sent to a | p50 / p99 | added p50 / p99 | retries | fallbacks | circuit opened |\n|---|---|---|---|---|---|---|---|---|\n`,
  );
  process.stdout.write(`${rows.join("\n")}\n`);
}

async function runRequests(url: string, body: string, count: number): Promise<{ latencies: number[]; succeeded: number }> {
  const latencies: number[] = [];
  let succeeded = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const started = performance.now();
      const response = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body,
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status === 200 && text.includes("event: message_stop") && !text.includes("event: error")) succeeded++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, succeeded };
}

function format(ms: number): string {
  return ms.toFixed(2);
}
