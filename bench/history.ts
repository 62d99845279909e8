#!/usr/bin/env bun
/**
 * The request history's costs (issue 21): what recording a request adds on its path (in-process,
 * and end to end as two anyclaude processes, history off and on, answering alternately in one
 * run), what writing costs per row off the path, and how long `/api/stats` takes over a store of
 * a million rows spread over 30 days, window by window; and, for `history.storeBodies` (off by
 * default), what keeping a Claude Code request's prompt and answer costs on the path.
 *
 *   bun bench/history.ts            1,000,000 rows, 4,000 requests per side
 *   bun bench/history.ts --quick    100,000 rows, 1,000 requests per side
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readRequestStats } from "../src/history/read-request-stats";
import { RequestHistory } from "../src/history/request-history";
import { sumRowsByPeriod } from "../src/history/sum-rows-by-period";
import { captureRequestBodies } from "../src/server/capture-request-bodies";
import { describeFinishedRequest } from "../src/server/describe-finished-request";
import { openStore } from "../src/store/open-store";
import { RequestHistoryRepository } from "../src/store/request-history-repository";
import type { NewRequestHistoryRow } from "../src/store/request-history-row";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";
import { makeHistoryRow } from "../test/support/history-rows";
import { subtractPercentiles, summarizeLatencies } from "./latency-stats";
import { measureSequential } from "./measure-interleaved";
import { prepareRequestPair } from "./prepare-overhead-requests";
import { spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, rows: { type: "string" }, requests: { type: "string" } },
  strict: true,
});
const ROWS = Number(values.rows ?? (values.quick ? 100_000 : 1_000_000));
const REQUESTS = Number(values.requests ?? (values.quick ? 1_000 : 4_000));
const ROOT = join(import.meta.dir, "..");
const DAY = 86_400_000;
const scratch = mkdtempSync(join(tmpdir(), "anyclaude-bench-history-"));

const format = (ms: number, digits = 3) => ms.toFixed(digits).padStart(8);
console.log(
  `anyclaude history bench: Bun ${Bun.version}, ${cpus().length} cores, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")}, ${new Date().toISOString().slice(0, 16)} UTC`,
);
try {
  await measureRecording();
  measureBodies();
  await measureEndToEnd();
  await measureStats();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The request path's share (building the row, keeping it) and the writer's cost per row, in-process. */
async function measureRecording(): Promise<void> {
  const store = openStore({ path: join(scratch, "recording.db") });
  const repository = new RequestHistoryRepository(store.db);
  const history = new RequestHistory({
    open: async () => ({ repository, close: () => store.close() }),
    flushIntervalMs: 3_600_000,
    maxAgeMs: 30 * DAY,
    maxRows: 1_000_000,
    onError: (message, error) => console.error(message, error),
  });
  const attempts = [{ backendId: "llama", model: "qwen3-coder" }];
  const usage = { input_tokens: 1200, output_tokens: 60, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0 };
  const record = (index: number) => {
    const startedAt = performance.now() - 900;
    const facts = { startedAt, requestId: `req_${index}`, clientModel: "claude-sonnet-4-5", stream: true, status: 200 };
    history.record(
      describeFinishedRequest({
        ...facts,
        outcome: "completed",
        attempts,
        route: "sonnet",
        cache: "miss",
        usage,
        firstContentAt: startedAt + 120,
      }),
    );
  };
  const samples: number[] = [];
  let flushMs = 0;
  const batch = 200;
  for (let index = 0; index < 40_000; index++) {
    const before = performance.now();
    record(index);
    if (index >= 10_000) samples.push(performance.now() - before);
    if (index % batch === batch - 1) {
      const flushStarted = performance.now();
      await history.flush();
      if (index >= 10_000) flushMs += performance.now() - flushStarted;
    }
  }
  const { p50, p99 } = summarizeLatencies(samples);
  console.log(`\nrecording a request (in-process, ${samples.length} after 10,000 warm-up):`);
  console.log(
    `  on the request path (describeFinishedRequest + record)  p50 ${format(p50 * 1000, 2)} µs   p99 ${format(p99 * 1000, 2)} µs`,
  );
  console.log(`  writing, off the path (batches of ${batch}, totals included)  ${format((flushMs / samples.length) * 1000, 2)} µs per row`);
  await history.close();
}

/**
 * `history.storeBodies` on: serializing and capping Claude Code's largest recorded request and an
 * answer, against serializing the request alone (the floor any stored copy pays), in the same run.
 */
function measureBodies(): void {
  const request = readClaudeCodeRequests()
    .map((recorded) => recorded.body)
    .sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0]!;
  const answer = JSON.parse(JSON.stringify({ id: "msg_1", content: [{ type: "text", text: "Listing the files.".repeat(20) }] }));
  const settings = { storeBodies: true, maxBodyBytes: 262_144 };
  const time = (run: () => unknown) => {
    const samples: number[] = [];
    for (let index = 0; index < 3_000; index++) {
      const before = performance.now();
      run();
      if (index >= 500) samples.push(performance.now() - before);
    }
    return summarizeLatencies(samples).p50;
  };
  const floor = time(() => JSON.stringify(request));
  const capture = time(() => captureRequestBodies(settings, request, answer));
  const capped = time(() => captureRequestBodies({ ...settings, maxBodyBytes: 16_384 }, request, answer));
  const kb = (Buffer.byteLength(JSON.stringify(request)) / 1024).toFixed(0);
  console.log(`
history.storeBodies on, Claude Code's largest recorded request (${kb} KB), p50 of 2,500:`);
  console.log(`  JSON.stringify(request), the floor               ${format(floor * 1000, 1)} µs`);
  console.log(
    `  captureRequestBodies, whole                      ${format(capture * 1000, 1)} µs   ${(capture / floor).toFixed(2)}× the floor`,
  );
  console.log(
    `  captureRequestBodies, cut to 16 KB               ${format(capped * 1000, 1)} µs   ${(capped / floor).toFixed(2)}× the floor`,
  );
}

/** Two anyclaude processes in front of one lean backend, history off and on, called alternately. */
async function measureEndToEnd(): Promise<void> {
  const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
  const start = (enabled: boolean) =>
    startBenchProxy(backend.url, {
      root: ROOT,
      env: { ANYCLAUDE_HISTORY__ENABLED: String(enabled), ANYCLAUDE_DATA_DIR: join(scratch, `serve-${enabled}`) },
    });
  const [off, on] = [await start(false), await start(true)];
  try {
    for (const mode of ["json", "stream"] as const) {
      const offPair = await prepareRequestPair("small", mode, { proxyUrl: off.url, backendUrl: backend.url });
      const onPair = await prepareRequestPair("small", mode, { proxyUrl: on.url, backendUrl: backend.url });
      const pair = { direct: offPair.proxied, proxied: onPair.proxied };
      await measureSequential(pair, Math.min(500, REQUESTS));
      const samples = await measureSequential(pair, REQUESTS);
      const without = summarizeLatencies(samples.direct.totalMs);
      const withHistory = summarizeLatencies(samples.proxied.totalMs);
      const added = subtractPercentiles(withHistory, without);
      if (mode === "json") console.log(`\nend to end, small request, ${REQUESTS} per side, alternating (history off / on / added):`);
      console.log(
        `  ${mode.padEnd(6)}  p50 ${format(without.p50)} / ${format(withHistory.p50)} / ${format(added.p50)} ms   p99 ${format(without.p99)} / ${format(withHistory.p99)} / ${format(added.p99)} ms`,
      );
    }
  } finally {
    await Promise.all([off.stop(), on.stop()]);
    await backend.stop();
  }
}

/** A store of ROWS rows over 30 days, then the stats of each window, as /api/stats computes them. */
async function measureStats(): Promise<void> {
  const path = join(scratch, "stats.db");
  const store = openStore({ path });
  const repository = new RequestHistoryRepository(store.db);
  const now = Date.now();
  const seedStarted = performance.now();
  const chunk = 10_000;
  for (let done = 0; done < ROWS; done += chunk) {
    const rows: NewRequestHistoryRow[] = [];
    for (let index = done; index < Math.min(ROWS, done + chunk); index++) rows.push(makeSeedRow(index, now));
    repository.insert(rows, sumRowsByPeriod(rows));
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(
    `\n/api/stats over ${ROWS.toLocaleString("en")} rows spread over 30 days (seeded in ${seedSeconds.toFixed(0)} s, ${(statSync(path).size / 1e6).toFixed(0)} MB):`,
  );
  for (const [label, windowMs] of [
    ["15m", 15 * 60_000],
    ["1h", 3_600_000],
    ["6h", 6 * 3_600_000],
    ["24h", DAY],
    ["7d", 7 * DAY],
    ["30d", 30 * DAY],
  ] as const) {
    readRequestStats(repository, { now, windowMs });
    const samples: number[] = [];
    let requests = 0;
    const cpuBefore = process.cpuUsage();
    for (let run = 0; run < 20; run++) {
      const before = performance.now();
      requests = readRequestStats(repository, { now, windowMs }).requests;
      samples.push(performance.now() - before);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const { p50 } = summarizeLatencies(samples);
    // CPU time is what the work costs; wall time also holds whatever else the machine ran meanwhile.
    console.log(
      `  ${label.padEnd(4)} p50 ${format(p50, 2)} ms   min ${format(Math.min(...samples), 2)} ms   CPU ${format((cpu.user + cpu.system) / 1000 / samples.length, 2)} ms   (${requests.toLocaleString("en")} requests in the window)`,
    );
  }
  store.close();
}

/** Requests every 2.6 s on average over 30 days: 80 % live on two backends, 20 % cache hits, 2 % errors. */
function makeSeedRow(index: number, now: number): NewRequestHistoryRow {
  const at = Math.round(now - 30 * DAY + ((index + 0.5) * 30 * DAY) / ROWS);
  const spread = ((index * 7919) % 1000) / 1000;
  if (index % 5 === 0) {
    return makeHistoryRow({ at, requestId: `req_${index}`, backend: null, cache: "hit", latencyMs: 0.3 + spread, ttftMs: 0.3 });
  }
  const latencyMs = 400 * 2 ** (spread * 6);
  const failed = index % 50 === 1;
  return makeHistoryRow({
    at,
    requestId: `req_${index}`,
    backend: index % 3 === 0 ? "ollama" : "llama",
    latencyMs,
    ttftMs: latencyMs / 5,
    outputTokens: Math.round(latencyMs / 30),
    status: failed ? 529 : 200,
    outcome: failed ? "failed" : "completed",
    errorType: failed ? "overloaded_error" : null,
  });
}
