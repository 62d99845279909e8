/**
 * Where the proxy's one-at-a-time tail comes from (issue 2's p99): the same backend called
 * directly and through the proxy, interleaved, while the proxy logs its collector's pauses
 * (BUN_JSC_logGC=1). Each of the slowest 1% of proxied requests is matched against the pauses
 * that met it (bench/attribute-tail.ts); the direct requests' tail, measured alongside, is what
 * the machine, the client and the backend add on their own.
 *
 * @example
 * bun bench/tail-attribution.ts                      # anyclaude from source, 49 KB JSON
 * bun bench/tail-attribution.ts --body small --mode stream
 * bun bench/tail-attribution.ts --floor json         # the minimal parse+stringify forwarder
 * bun bench/tail-attribution.ts --binary dist/anyclaude
 */
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { attributeTail, type LoggedPause, type TimedRequest } from "./attribute-tail";
import { exitWithHelpIfAsked, PROXY_UNDER_TEST_FLAGS, readCount, readFloor, readProxyEnv } from "./bench-args";
import { GcLogReader } from "./gc-pauses";
import { nearestRank } from "./latency-stats";
import { measureSequential, type SideSamples } from "./measure-interleaved";
import { type AnswerMode, type BodyName, prepareRequestPair } from "./prepare-overhead-requests";
import { spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";

const HELP = `Usage: bun bench/tail-attribution.ts [options]

  --requests N     measured requests on each side, one at a time (default 4000)
  --warmup N       unmeasured requests on each side first (default 500)
  --body NAME      "49KB" (Claude Code's recorded request, default) or "small"
  --mode MODE      "json" (default) or "stream"
  --slack MS       how late a pause's log line may arrive and still count (default 1)
  --binary PATH    a compiled anyclaude instead of the sources
  --floor KIND     bench/floor-forwarder.ts "bare" or "json" instead of anyclaude
  --proxy-env N=V  set N=V in the proxy's environment only (repeatable)
  -h, --help       this text
`;

const ROOT = join(import.meta.dir, "..");
const { values } = parseArgs({
  options: {
    requests: { type: "string" },
    warmup: { type: "string" },
    body: { type: "string", default: "49KB" },
    mode: { type: "string", default: "json" },
    slack: { type: "string", default: "1" },
    ...PROXY_UNDER_TEST_FLAGS,
  },
});
exitWithHelpIfAsked(values.help, HELP);
const requests = readCount(values.requests, 4000, "--requests");
const warmup = readCount(values.warmup, 500, "--warmup");
const body = values.body as BodyName;
const mode = values.mode as AnswerMode;
const slackMs = Number(values.slack);
if (body !== "49KB" && body !== "small") throw new Error(`--body is "49KB" or "small", not "${values.body}"`);
if (mode !== "json" && mode !== "stream") throw new Error(`--mode is "json" or "stream", not "${values.mode}"`);
if (!(slackMs >= 0)) throw new Error(`--slack takes milliseconds, not "${values.slack}"`);
const floor = readFloor(values.floor);

const pauses: LoggedPause[] = [];
const gcLog = new GcLogReader();
const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
try {
  const proxy = await startBenchProxy(backend.url, {
    root: ROOT,
    floor,
    binary: values.binary === undefined ? undefined : resolve(values.binary),
    env: { ...readProxyEnv(values["proxy-env"] ?? []), BUN_JSC_logGC: "1" },
    onStderr: (text, receivedAt) => pauses.push(...gcLog.push(text).map((pause) => ({ ...pause, loggedAt: receivedAt }))),
  });
  try {
    const pair = await prepareRequestPair(body, mode, { proxyUrl: proxy.url, backendUrl: backend.url }, floor === undefined);
    await measureSequential(pair, warmup);
    const samples = await measureSequential(pair, requests);
    // Let the last lines of the log arrive before reading them.
    await Bun.sleep(50);
    report(timed(samples.direct), timed(samples.proxied));
  } finally {
    await proxy.stop();
  }
} finally {
  await backend.stop();
}

function report(direct: TimedRequest[], proxied: TimedRequest[]): void {
  const from = proxied[0]!.startedAt;
  const during = pauses.filter((pause) => pause.loggedAt >= from);
  const tail = attributeTail(proxied, during, slackMs);
  const directP = percentiles(direct);
  const proxiedP = percentiles(proxied);
  const young = during.filter((pause) => pause.scope === "Eden");
  const subject = floor ? `floor forwarder "${floor}"` : values.binary ? `anyclaude binary ${values.binary}` : "anyclaude from source";
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  const lines = [
    `${subject}, ${body} ${mode}, ${requests} requests on each side one at a time, interleaved; Bun ${Bun.version}, ${cpus().length} cores, load ${load}.`,
    `direct p50 / p99: ${directP.p50.toFixed(2)} / ${directP.p99.toFixed(2)} ms; proxied ${proxiedP.p50.toFixed(2)} / ${proxiedP.p99.toFixed(2)} ms; added p99 ${(proxiedP.p99 - directP.p99).toFixed(2)} ms.`,
    `Collector pauses in the proxy during the run: ${young.length} young (p50 ${median(young.map((pause) => pause.ms))} ms), ${during.length - young.length} full; ${tail.pausesMeetingRequests} of them met a proxied request.`,
    `Slowest 1% of proxied requests (${tail.slowest}, ${tail.p99.toFixed(2)} ms and over): ${tail.metYoung} met a young pause, ${tail.metFull} a full one, ${tail.metNone} none.`,
    `Proxied p99 leaving out every request a pause met: ${tail.p99WithoutPaused.toFixed(2)} ms (added ${(tail.p99WithoutPaused - directP.p99).toFixed(2)} ms).`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function timed(side: SideSamples): TimedRequest[] {
  return side.totalMs.map((ms, index) => ({ startedAt: side.startedAt[index]!, ms }));
}

function percentiles(samples: TimedRequest[]): { p50: number; p99: number } {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return { p50: nearestRank(sorted, 50), p99: nearestRank(sorted, 99) };
}

function median(values: number[]): string {
  return values.length === 0
    ? "n/a"
    : nearestRank(
        [...values].sort((a, b) => a - b),
        50,
      ).toFixed(2);
}
