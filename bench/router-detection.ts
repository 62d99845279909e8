/**
 * Section `detection` of bench/router.ts: how long the router takes to notice that a backend
 * died and to use it again once it is back, with the documented defaults. Two ways: the health
 * probes alone (no traffic), and passive detection from real traffic alone (probes off: the
 * circuit breaker opens on failed requests and tries again after its cool-off). Timed by
 * polling /health every 20 ms, so figures are ±20 ms.
 */
import { join } from "node:path";
import { readBackendState, startBenchEngine, startBenchProxy } from "./router-bench-setup";

const BODY_PATH = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const POLL_MS = 20;
const TRAFFIC_GAP_MS = 50;

/** @example await measureDetection(); // prints a markdown table */
export async function measureDetection(): Promise<void> {
  const rows = [...(await measureProbes()), ...(await measurePassive())];
  process.stdout.write(`\n## Detecting a dead backend and restoring it (defaults)\n\n`);
  process.stdout.write(
    `health: intervalMs 10000, unhealthyIntervalMs 2000, unhealthyAfter 2; circuitBreaker: failureThreshold 5 in 30 s, cooldownMs 15000; retry: 3 attempts.\n`,
  );
  process.stdout.write(
    `The probe run kills the backend right after start-up, a full interval before the first probe: the worst case, intervalMs + (unhealthyAfter - 1) × unhealthyIntervalMs.\n\n`,
  );
  process.stdout.write(`| how | event | ms | client requests failed |\n|---|---|---|---|\n${rows.join("\n")}\n`);
}

async function measureProbes(): Promise<string[]> {
  const a = startBenchEngine();
  const b = startBenchEngine();
  const proxy = await startBenchProxy(a, b);
  try {
    await a.kill();
    const detected = await timeUntil(async () => !(await readBackendState(proxy, "a")).healthy);
    a.revive();
    const restored = await timeUntil(async () => (await readBackendState(proxy, "a")).healthy);
    return [
      `| health probes, no traffic | killed → out of rotation | ${detected.toFixed(0)} | n/a |`,
      `| health probes, no traffic | back → in rotation | ${restored.toFixed(0)} | n/a |`,
    ];
  } finally {
    await proxy.stop(0);
    await Promise.all([a.kill(), b.kill()]);
  }
}

async function measurePassive(): Promise<string[]> {
  const a = startBenchEngine();
  const b = startBenchEngine();
  const proxy = await startBenchProxy(a, b, { health: { enabled: false } });
  const traffic = startTraffic(proxy.url, await Bun.file(BODY_PATH).text());
  try {
    await Bun.sleep(500);
    await a.kill();
    const killedAt = traffic.failed;
    const detected = await timeUntil(async () => (await readBackendState(proxy, "a")).circuit === "open");
    const failedWhileDetecting = traffic.failed - killedAt;
    a.revive();
    const restoredFrom = a.requests;
    const restored = await timeUntil(async () => (await readBackendState(proxy, "a")).circuit === "closed" && a.requests > restoredFrom);
    return [
      `| passive (traffic every ${TRAFFIC_GAP_MS} ms, probes off) | killed → circuit open | ${detected.toFixed(0)} | ${failedWhileDetecting} |`,
      `| passive (traffic every ${TRAFFIC_GAP_MS} ms, probes off) | back → circuit closed, answering | ${restored.toFixed(0)} | ${traffic.failed - killedAt} |`,
    ];
  } finally {
    await traffic.stop();
    await proxy.stop(0);
    await Promise.all([a.kill(), b.kill()]);
  }
}

/** One streamed request at a time, a short gap between them, counting the ones that failed. */
function startTraffic(url: string, body: string): { readonly failed: number; stop(): Promise<void> } {
  let running = true;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      const response = await fetch(`${url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await response.text();
      if (response.status !== 200 || !text.includes("event: message_stop") || text.includes("event: error")) failed++;
      await Bun.sleep(TRAFFIC_GAP_MS);
    }
  })();
  return {
    get failed() {
      return failed;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function timeUntil(condition: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await condition())) await Bun.sleep(POLL_MS);
  return performance.now() - started;
}
