/**
 * What anyclaude adds as a Claude Code conversation grows. Every turn resends the whole
 * conversation (tools, system prompt, every earlier message) plus the newest exchange; a proxy
 * that re-reads, re-converts and re-serializes all of it costs more with every turn. This sends
 * one conversation turn after turn, each request the real next turn (one more tool call and its
 * output, `cache_control` moved to the newest message, as Claude Code does), through anyclaude
 * and, with the very bytes anyclaude sent, to the backend directly, and prints the added latency
 * and the proxy's CPU time per turn (all its threads, which a busy machine disturbs far less
 * than latency) by conversation size.
 *
 * @example
 * bun bench/long-conversation.ts               # 240 turns, JSON and streaming alternating
 * bun bench/long-conversation.ts --turns 80
 * bun bench/long-conversation.ts --binary dist/anyclaude
 * bun bench/long-conversation.ts --floor bare   # bench/floor-forwarder.ts instead, for scale
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readFloor } from "./bench-args";
import { buildConversationTurn } from "./build-conversation-turn";
import { summarizeLatencies } from "./latency-stats";
import { timeRequest } from "./measure-interleaved";
import { spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";

const ROOT = join(import.meta.dir, "..");
const { values } = parseArgs({
  options: {
    turns: { type: "string", default: "240" },
    warmup: { type: "string", default: "120" },
    binary: { type: "string" },
    floor: { type: "string" },
    buckets: { type: "string", default: "6" },
  },
});
const floor = readFloor(values.floor);
const TURNS = Number(values.turns);
const BUCKETS = Number(values.buckets);

const headers = { "content-type": "application/json", "anthropic-version": "2023-06-01", "anthropic-beta": "claude-code-20250219" };

const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
const proxy = await startBenchProxy(backend.url, {
  root: ROOT,
  floor,
  binary: values.binary === undefined ? undefined : resolve(values.binary),
});

const rows: Array<{ turn: number; bytes: number; added: number; cpu: number }> = [];
try {
  // A conversation of its own warms the JIT up; it shares no message with the measured one.
  for (let turn = 0; turn < Number(values.warmup); turn++) {
    await timeRequest({ url: `${proxy.url}/v1/messages?beta=true`, headers, body: buildConversationTurn(turn, turn % 2 === 1, "warm-up") });
  }
  for (let turn = 0; turn < TURNS; turn++) {
    const stream = turn % 2 === 1;
    const body = buildConversationTurn(turn, stream);
    const cpuBefore = proxy.readCpuSeconds();
    const proxied = await timeRequest({ url: `${proxy.url}/v1/messages?beta=true`, headers, body });
    const cpu = proxy.readCpuSeconds() - cpuBefore;
    const sent = await (await fetch(`${backend.url}/bench/last-body`)).text();
    const direct = await timeRequest({
      url: `${backend.url}/v1/chat/completions`,
      headers: { "content-type": "application/json" },
      body: sent,
    });
    rows.push({ turn, bytes: Buffer.byteLength(body), added: proxied.totalMs - direct.totalMs, cpu: cpu * 1000 });
  }
} finally {
  await proxy.stop();
  await backend.stop();
}

const size = Math.ceil(rows.length / BUCKETS);
const subject = values.floor
  ? `floor forwarder "${values.floor}" (not anyclaude)`
  : `anyclaude ${values.binary ? `binary ${values.binary}` : "from source"}`;
process.stdout.write(`${subject}, ${TURNS} consecutive turns of one conversation (JSON and stream alternating), Bun ${Bun.version}\n\n`);
process.stdout.write("| turns | request size | added p50 | added p95 | proxy CPU p50 |\n|---|---|---|---|---|\n");
for (let start = 0; start < rows.length; start += size) {
  const bucket = rows.slice(start, start + size);
  const stats = summarizeLatencies(bucket.map((row) => row.added));
  const cpu = summarizeLatencies(bucket.map((row) => row.cpu));
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  process.stdout.write(
    `| ${bucket[0]!.turn + 1}–${bucket.at(-1)!.turn + 1} | ${kb(bucket[0]!.bytes)}–${kb(bucket.at(-1)!.bytes)} | ${stats.p50.toFixed(2)} ms | ${stats.p95.toFixed(2)} ms | ${cpu.p50.toFixed(2)} ms |\n`,
  );
}
