/**
 * anyclaude beside claude-code-router (CCR), in one run, in front of the same loopback backend
 * (lean-openai-backend.ts): Claude Code's recorded 49 KB request as JSON and streamed, one at a
 * time, each proxy and the backend called directly taking turns, then each proxy's memory over a
 * series at 16 in flight. CCR is not a dependency: install it anywhere and point at it.
 *
 * @example
 * npm install --prefix /tmp/ccr @musistudio/claude-code-router@2.0.0
 * bun bench/vs-claude-code-router.ts --ccr /tmp/ccr/node_modules/@musistudio/claude-code-router
 * ANYCLAUDE_BENCH_CCR=/tmp/ccr/node_modules/@musistudio/claude-code-router bun bench/vs-claude-code-router.ts --requests 300
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { exitWithHelpIfAsked, PROXY_UNDER_TEST_FLAGS, readCount, readProxyEnv } from "./bench-args";
import { type Percentiles, subtractPercentiles, summarizeLatencies } from "./latency-stats";
import { BENCH_MODEL } from "./lean-backend-replies";
import { measureSidesInTurn } from "./measure-interleaved";
import { type AnswerMode, prepareRequestPair, type RequestPair } from "./prepare-overhead-requests";
import { type BenchProcess, spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";
import { trackProxyRss } from "./track-proxy-rss";

const HELP = `Usage: bun bench/vs-claude-code-router.ts --ccr DIR [options]

  --ccr DIR         the installed @musistudio/claude-code-router package (or ANYCLAUDE_BENCH_CCR)
  --node PATH       the Node.js that runs CCR (default: node)
  --requests N      requests measured on each side per mode (default 1000)
  --warmup N        unmeasured requests on each side first (default 100)
  --rss-requests N  requests in each proxy's memory series, 16 in flight (default 4000)
  --binary PATH     a compiled anyclaude instead of the sources
  --proxy-env N=V   set N=V in anyclaude's environment (repeatable)
  -h, --help        this text
`;

const ROOT = join(import.meta.dir, "..");
const MODES: AnswerMode[] = ["json", "stream"];
const PROXIES = ["anyclaude", "ccr"] as const;
type Proxy = (typeof PROXIES)[number];

const { values } = parseArgs({
  options: {
    ccr: { type: "string" },
    node: { type: "string", default: "node" },
    requests: { type: "string" },
    warmup: { type: "string" },
    "rss-requests": { type: "string" },
    ...PROXY_UNDER_TEST_FLAGS,
  },
});
exitWithHelpIfAsked(values.help, HELP);
const ccrDir = values.ccr ?? process.env.ANYCLAUDE_BENCH_CCR;
if (!ccrDir) throw new Error("say where claude-code-router is installed: --ccr DIR or ANYCLAUDE_BENCH_CCR (see --help)");
if (values.floor) throw new Error("--floor does not apply here: bench/overhead.ts --floor measures the floors");
const requests = readCount(values.requests, 1000, "--requests");
const warmup = readCount(values.warmup, 100, "--warmup");
const rssRequests = readCount(values["rss-requests"], 4000, "--rss-requests");

const ccrPackage = JSON.parse(readFileSync(join(ccrDir, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };
const home = mkdtempSync(join(tmpdir(), "anyclaude-bench-ccr-"));
const loadBefore = loadavg();
const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
const proxies: Partial<Record<Proxy, BenchProcess>> = {};
try {
  proxies.anyclaude = await startBenchProxy(backend.url, {
    root: ROOT,
    binary: values.binary === undefined ? undefined : resolve(values.binary),
    env: readProxyEnv(values["proxy-env"] ?? []),
  });
  proxies.ccr = await startClaudeCodeRouter(backend.url);
  const idleRss = { anyclaude: proxies.anyclaude.readRss(), ccr: proxies.ccr.readRss() };
  const rows: string[] = [];
  const pairs = new Map<string, RequestPair>();
  for (const mode of MODES) {
    const added: Partial<Record<Proxy, Percentiles>> = {};
    const sides = {} as Record<`${Proxy} direct` | Proxy, RequestPair["direct"]>;
    for (const proxy of PROXIES) {
      // Each proxy's "direct" is the very body it sent the backend: the backend's share of its requests.
      const pair = await prepareRequestPair("49KB", mode, { proxyUrl: proxies[proxy]!.url, backendUrl: backend.url });
      pairs.set(`${proxy} ${mode}`, pair);
      sides[`${proxy} direct`] = pair.direct;
      sides[proxy] = pair.proxied;
    }
    process.stderr.write(`measuring 49 KB ${mode}: ${warmup} warm-up + ${requests} requests on each of 4 sides\n`);
    await measureSidesInTurn(sides, warmup);
    // Each proxy receives only its own requests, so its CPU time over the run is theirs alone.
    const cpuBefore = { anyclaude: proxies.anyclaude.readCpuSeconds(), ccr: proxies.ccr.readCpuSeconds() };
    const samples = await measureSidesInTurn(sides, requests);
    const cpuMs: Partial<Record<Proxy, number>> = {};
    for (const proxy of PROXIES) {
      const proxied = summarizeLatencies(samples[proxy].totalMs);
      const direct = summarizeLatencies(samples[`${proxy} direct`].totalMs);
      added[proxy] = subtractPercentiles(proxied, direct);
      cpuMs[proxy] = ((proxies[proxy]!.readCpuSeconds() - cpuBefore[proxy]) * 1000) / requests;
      rows.push(
        `| 49 KB ${mode}, one at a time | ${proxy} | ${formatPercentiles(direct)} | ${formatPercentiles(proxied)} | ${formatPercentiles(added[proxy])} | ${cpuMs[proxy].toFixed(2)} |`,
      );
    }
    rows.push(`| | CCR / anyclaude | | | ${formatRatio(added.ccr!, added.anyclaude!)} | ${(cpuMs.ccr! / cpuMs.anyclaude!).toFixed(1)}× |`);
  }
  const afterLatency = { anyclaude: proxies.anyclaude.readRss(), ccr: proxies.ccr.readRss() };
  const memory: string[] = [];
  for (const proxy of PROXIES) {
    process.stderr.write(`memory series: ${rssRequests} requests through ${proxy}, 16 in flight\n`);
    const server = proxies[proxy]!;
    const track = await trackProxyRss([pairs.get(`${proxy} json`)!.proxied, pairs.get(`${proxy} stream`)!.proxied], {
      total: rssRequests,
      every: Math.max(1, Math.floor(rssRequests / 10)),
      concurrency: 16,
      readRss: server.readRss,
    });
    memory.push(
      `| ${proxy} | ${mb(idleRss[proxy])} | ${mb(afterLatency[proxy])} | ${mb(track.peakBytes)} | ${mb(track.secondHalfTrendBytes)} | ${mb(track.settledBytes)} |`,
    );
  }
  console.log(
    [
      `# anyclaude beside claude-code-router ${ccrPackage.version}`,
      "",
      `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; Bun ${Bun.version}; CCR on ${await readNodeVersion()}; ${cpus().length} cores (${cpus()[0]?.model.trim()}); load average ${formatLoad(loadBefore)} before, ${formatLoad(loadavg())} after`,
      `anyclaude ${values.binary ? `binary ${values.binary}` : "from source"}; ${requests} requests on each side per mode after ${warmup} of warm-up; times in ms; added = proxied minus direct at the same percentile`,
      "",
      "| request | proxy | direct p50 / p95 / p99 | proxied p50 / p95 / p99 | added p50 / p95 / p99 | proxy CPU ms/req |",
      "|---|---|---|---|---|---|",
      ...rows,
      "",
      `Memory (RSS, MB): idle after start, after the latency runs, then a series of ${rssRequests} requests (49 KB, half JSON, half streamed, 16 in flight):`,
      "",
      "| proxy | idle | after latency runs | series peak | second-half trend | 5 s after |",
      "|---|---|---|---|---|---|",
      ...memory,
    ].join("\n"),
  );
} finally {
  for (const proxy of Object.values(proxies)) await proxy.stop();
  await backend.stop();
  rmSync(home, { recursive: true, force: true });
}

/** CCR reads `~/.claude-code-router/config.json`: a HOME of its own holds one naming the backend. */
async function startClaudeCodeRouter(backendUrl: string): Promise<BenchProcess> {
  const port = findFreePort();
  const config = {
    LOG: false,
    HOST: "127.0.0.1",
    PORT: port,
    Providers: [{ name: "bench", api_base_url: `${backendUrl}/v1/chat/completions`, api_key: "bench", models: [BENCH_MODEL] }],
    Router: { default: `bench,${BENCH_MODEL}` },
  };
  mkdirSync(join(home, ".claude-code-router"));
  writeFileSync(join(home, ".claude-code-router", "config.json"), JSON.stringify(config, null, 2));
  const cli = join(ccrDir!, ccrPackage.bin.ccr ?? Object.values(ccrPackage.bin)[0]!);
  return spawnBenchProcess([cli, "start"], { executable: values.node, env: { HOME: home }, url: `http://127.0.0.1:${port}/` });
}

function findFreePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
}

async function readNodeVersion(): Promise<string> {
  return `Node ${(await new Response(Bun.spawn([values.node, "--version"]).stdout).text()).trim()}`;
}

function formatPercentiles(p: Percentiles): string {
  return `${p.p50.toFixed(2)} / ${p.p95.toFixed(2)} / ${p.p99.toFixed(2)}`;
}

function formatRatio(ccr: Percentiles, anyclaude: Percentiles): string {
  return `${(ccr.p50 / anyclaude.p50).toFixed(1)}× / ${(ccr.p95 / anyclaude.p95).toFixed(1)}× / ${(ccr.p99 / anyclaude.p99).toFixed(1)}×`;
}

function formatLoad(load: number[]): string {
  return load.map((value) => value.toFixed(2)).join(" ");
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
