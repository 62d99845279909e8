/**
 * The soak: N mixed requests (bench/soak-scenarios.ts: JSON and streams, tool turns, cache hits,
 * bad bodies, and an engine that resets, drips, stalls, hangs, answers 5xx, 429 with Retry-After
 * or malformed SSE) at concurrency C through `anyclaude serve` in its own process, its exact cache
 * in a real redis-server that is killed and restarted twice during the run. Prints the answers
 * that were correct, those lost (the engine completed, the client did not get it whole), the
 * proxy's RSS and open descriptors over time with a flatness check over the second half, and the
 * latency it adds over the same requests sent straight to the engine in the same run.
 *
 *   bun bench/soak.ts [--requests 100000] [--concurrency 32] [--seed 1] [--timeout-ms 60000]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SERVE_RUNTIME_ENVIRONMENT } from "../src/cli/serve-runtime-environment";
import { type RunningRedisServer, startRedisServer } from "../test/support/redis-server";
import { seededRandom } from "../test/support/seeded-random";
import { exitWithHelpIfAsked } from "./bench-args";
import { judgeSoakAnswer, type SoakOutcome } from "./judge-soak-answer";
import { reportSoak, type SoakRecord } from "./report-soak";
import { sampleProcess } from "./sample-process";
import { buildSoakRequest, pickSoakScenario } from "./soak-scenarios";
import { spawnBenchProcess } from "./spawn-bench-process";

const HELP = "usage: bun bench/soak.ts [--requests N] [--concurrency C] [--seed S] [--timeout-ms MS]\n";
const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "32" },
    seed: { type: "string", default: "1" },
    "timeout-ms": { type: "string", default: "60000" },
    help: { type: "boolean", short: "h", default: false },
  },
});
exitWithHelpIfAsked(values.help, HELP);
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const timeoutMs = Number(values["timeout-ms"]);

/** Fractions of the run at which Redis is killed, and at which it comes back on the same port. */
const REDIS_OUTAGES: Array<[number, number]> = [
  [0.3, 0.4],
  [0.65, 0.75],
];

const root = `${import.meta.dir}/..`;
const scratch = mkdtempSync(join(tmpdir(), "anyclaude-soak-"));
const engine = await spawnBenchProcess(["bench/soak-engine.ts"], { cwd: root });
let redis: RunningRedisServer = await startRedisServer();
const configPath = join(scratch, "config.json");
writeFileSync(
  configPath,
  JSON.stringify({
    server: { host: "127.0.0.1", port: 0 },
    backends: [
      {
        id: "engine",
        url: engine.url,
        kind: "llamacpp",
        mode: "translate",
        timeouts: { firstByteMs: 1000, idleMs: 1000, totalMs: 30_000 },
      },
    ],
    // Two attempts, short backoff: the faults are retried once, as a real engine's would be.
    retry: { maxAttempts: 2, baseMs: 50, maxMs: 200, retryAfterCapMs: 1500 },
    // A quarter of the traffic fails on purpose; the default breaker (5 failures) would keep the
    // one engine out of rotation most of the run. It opens only when nine in ten fail.
    circuitBreaker: { failureThreshold: 1_000_000, errorRateThreshold: 0.9, minRequests: 50, windowMs: 10_000, cooldownMs: 1000 },
    cache: { enabled: true, store: "redis", redis: { url: redis.url, keyPrefix: "soak:" }, semantic: { enabled: false } },
    discovery: { enabled: false },
  }),
);
let warnings = "";
const proxy = await spawnBenchProcess(["src/cli/main.ts", "serve", "--config", configPath, "--log-level", "warn"], {
  cwd: root,
  env: { ...SERVE_RUNTIME_ENVIRONMENT, ANYCLAUDE_DATA_DIR: join(scratch, "data"), ANYCLAUDE_CACHE_DIR: join(scratch, "cache") },
  onStderr: (text) => {
    warnings += text;
  },
});

const random = seededRandom(Number(values.seed));

const records: SoakRecord[] = [];
const direct: number[] = [];
let next = 0;
let done = 0;
let outage = 0;
const sampler = sampleProcess(proxy.pid, 2000, () => done);
const started = performance.now();

async function moveRedis(): Promise<void> {
  const step = REDIS_OUTAGES[Math.floor(outage / 2)];
  if (!step || done < step[outage % 2]! * total) return;
  outage++;
  if (outage % 2 === 1) await redis.stop();
  else redis = await startRedisServer({ port: redis.port });
  process.stderr.write(`\n[${done}] redis ${outage % 2 === 1 ? "killed" : "restarted"}\n`);
}

async function send(url: string, body: string): Promise<{ response?: Response; error?: string; ms: number }> {
  const begun = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { response, ms: performance.now() - begun };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, ms: performance.now() - begun };
  }
}

async function work(): Promise<void> {
  for (let index = next++; index < total; index = next++) {
    const request = buildSoakRequest(pickSoakScenario(random), index, random);
    const begun = performance.now();
    const sent = await send(`${proxy.url}/v1/messages`, request.body);
    let outcome: SoakOutcome = "broken";
    let correct = false;
    let detail = sent.error && `${request.scenario.name} ${request.id} ${request.stream ? "stream" : "json"}: ${sent.error}`;
    if (sent.response) {
      try {
        ({ outcome, correct, detail } = await judgeSoakAnswer(request, sent.response));
      } catch (error) {
        detail = `${request.scenario.name} ${request.id}: reading the answer: ${(error as Error).name}: ${(error as Error).message}`;
      }
    }
    records.push({
      request,
      outcome,
      correct,
      detail,
      ms: performance.now() - begun,
      timedOut: sent.error?.startsWith("TimeoutError") ?? false,
    });
    if (request.scenario.name === "json" || request.scenario.name === "stream") {
      const body = JSON.stringify({
        model: "soak-model",
        max_tokens: 64,
        stream: request.stream,
        messages: [{ role: "user", content: `soak:${request.scenario.name}:d${index}` }],
      });
      const directBegun = performance.now();
      const straight = await send(`${engine.url}/v1/chat/completions`, body);
      await straight.response?.arrayBuffer();
      direct.push(performance.now() - directBegun);
    }
    done++;
    if (done % 1000 === 0) process.stderr.write(`\r${done}/${total}, ${((done / (performance.now() - started)) * 1000).toFixed(0)}/s   `);
    await moveRedis();
  }
}

try {
  await Promise.all(Array.from({ length: concurrency }, work));
} finally {
  const seconds = (performance.now() - started) / 1000;
  const samples = sampler.stop();
  const completed = new Set((await (await fetch(`${engine.url}/soak/completed`)).json()) as string[]);
  await proxy.stop();
  await engine.stop();
  await redis.stop();
  rmSync(scratch, { recursive: true, force: true });
  const ok = reportSoak({ records, direct, completed, samples, seconds, concurrency, proxyLog: warnings });
  process.exit(ok ? 0 : 1);
}
