/**
 * What anyclaude adds on top of a backend (issue 2): the same loopback backend called directly
 * and through anyclaude in one run, with Claude Code's 49 KB request and a small one, JSON and
 * streaming, one by one and 16 at a time; then the proxy's memory over 10,000 requests.
 * anyclaude and the backend each run in a process of their own, started as a user would.
 *
 * @example
 * bun bench/overhead.ts            # full run, under a minute on a 2-core machine
 * bun bench/overhead.ts --quick    # smaller counts, for a quick look
 */
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { VERSION } from "../src/cli/version";
import { exitWithHelpIfAsked, PROXY_UNDER_TEST_FLAGS, readCount, readFloor, readProxyEnv } from "./bench-args";
import { checkOverheadTargets, labelScenario, type ScenarioResult } from "./check-overhead-targets";
import { formatOverheadReport } from "./format-overhead-report";
import { type GcPauses, summarizeGcPauses } from "./gc-pauses";
import { subtractPercentiles, summarizeLatencies } from "./latency-stats";
import { measureConcurrent, measureSequential, type PairSamples, runConcurrently } from "./measure-interleaved";
import { type AnswerMode, type BodyName, prepareRequestPair, type RequestPair } from "./prepare-overhead-requests";
import { type BenchProcess, spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";
import { type RssTrack, trackProxyRss } from "./track-proxy-rss";

const HELP = `Usage: bun bench/overhead.ts [options]

  --requests N       requests measured on each side per scenario (default 2000; quick 200)
  --warmup N         unmeasured requests on each side before each scenario (default 200; quick 50)
  --concurrency N    callers in flight in the concurrent scenarios (default 16)
  --rss-requests N   requests in the memory series (default 10000; quick 2000)
  --rss-every N      requests between two memory samples (default 1000; quick 200)
  --quick            the smaller defaults above
  --binary PATH      measure a compiled anyclaude (e.g. dist/anyclaude) instead of the sources
  --floor KIND       measure bench/floor-forwarder.ts instead of anyclaude, for scale: "bare"
                     relays the bytes, "json" also parses and re-serializes the body
  --gc               log the latency runs' proxy's collector pauses (BUN_JSC_logGC=1) and
                     summarize them: count, p50, p90 and max, young and full collections
  --proxy-env N=V    set N=V in the environment of the proxy under test only (repeatable),
                     e.g. --proxy-env BUN_GC_TIMER_DISABLE=1 to measure a runtime setting;
                     anyclaude starts with serve's runtime settings, which N=V overrides
  --cpu-prof DIR     profile the latency runs' anyclaude with Bun's sampling profiler, writing
                     a .cpuprofile and a Markdown summary into DIR (slows it down: its figures
                     are then no measure of overhead)
  -h, --help         this text
`;

const ROOT = join(import.meta.dir, "..");
const BODIES: BodyName[] = ["49KB", "small"];
const MODES: AnswerMode[] = ["json", "stream"];

interface Settings {
  requests: number;
  warmup: number;
  concurrency: number;
  rssRequests: number;
  rssEvery: number;
  quick: boolean;
  /** Where the latency runs' anyclaude writes its CPU profile, if asked. */
  cpuProfileDir?: string;
  /** A compiled anyclaude to run instead of `bun src/cli/main.ts`. */
  binary?: string;
  /** Log and summarize the latency runs' collector pauses. */
  gc: boolean;
  /** Added to the environment of the proxy under test, and of nothing else. */
  proxyEnv: Record<string, string>;
  /** Measure the floor forwarder of this kind instead of anyclaude. */
  floor?: "bare" | "json";
}

const settings = readSettings();
const loadBefore = loadavg();
const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
try {
  const latency = await runLatencyScenarios(backend.url);
  const rss = await runMemorySeries(backend.url, latency.pairs);
  const run = {
    bunVersion: Bun.version,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
    loadBefore,
    loadAfter: loadavg(),
    subject: settings.floor ? `Floor forwarder "${settings.floor}" (not anyclaude)` : "anyclaude",
    proxyDetail: describeProxy(),
    commit: describeCommit(),
    date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    idleRssBytes: latency.idleRssBytes,
    gcPauses: latency.gcPauses,
    latencyRun: latency.end,
    settings: describeSettings(settings),
  };
  process.stdout.write(`${formatOverheadReport(run, latency.results, rss, checkOverheadTargets(latency.results, rss))}\n`);
} finally {
  await backend.stop();
}

/** Every scenario, one after the other, on one anyclaude process. */
async function runLatencyScenarios(backendUrl: string) {
  const profileFlags = settings.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${settings.cpuProfileDir}`] : [];
  const proxy = await startProxy(backendUrl, profileFlags, settings.gc);
  let measured: Awaited<ReturnType<typeof measureLatencies>>;
  try {
    measured = await measureLatencies(proxy, backendUrl);
  } finally {
    await proxy.stop();
  }
  // Read once it has exited: its last lines are in.
  const gcPauses: GcPauses | undefined = settings.gc ? summarizeGcPauses(proxy.readStderr()) : undefined;
  return { ...measured, gcPauses };
}

async function measureLatencies(proxy: BenchProcess, backendUrl: string) {
  const idleRssBytes = proxy.readRss();
  const pairs = new Map<string, RequestPair>();
  for (const body of BODIES) {
    for (const mode of MODES) {
      pairs.set(`${body} ${mode}`, await prepareRequestPair(body, mode, { proxyUrl: proxy.url, backendUrl }, !settings.floor));
    }
  }
  const results: ScenarioResult[] = [];
  for (const concurrency of [1, settings.concurrency]) {
    for (const body of BODIES) {
      for (const mode of MODES) results.push(await measureScenario(proxy, pairs.get(`${body} ${mode}`)!, { body, mode, concurrency }));
    }
  }
  const requests = pairs.size + results.length * (settings.warmup + settings.requests);
  return { pairs, results, idleRssBytes, end: { requests, rssBytes: proxy.readRss() } };
}

async function measureScenario(
  proxy: BenchProcess,
  pair: RequestPair,
  scenario: { body: BodyName; mode: AnswerMode; concurrency: number },
): Promise<ScenarioResult> {
  const { concurrency } = scenario;
  process.stderr.write(`measuring ${labelScenario(scenario)}: ${settings.warmup} warm-up + ${settings.requests} requests on each side\n`);
  for (const side of ["direct", "proxied"] as const) await runConcurrently(pair[side], settings.warmup, concurrency, () => undefined);
  // Only proxied requests reach the proxy, so its CPU time over the run is theirs alone.
  const cpuBefore = proxy.readCpuSeconds();
  const samples =
    concurrency === 1 ? await measureSequential(pair, settings.requests) : await measureConcurrent(pair, settings.requests, concurrency);
  const cpuMs = ((proxy.readCpuSeconds() - cpuBefore) * 1000) / settings.requests;
  return summarizeScenario(scenario, samples, cpuMs);
}

/** A fresh proxy process, so the series shows start-up growth in its first half and any leak in its second. */
async function runMemorySeries(backendUrl: string, pairs: Map<string, RequestPair>): Promise<RssTrack> {
  const proxy = await startProxy(backendUrl);
  try {
    process.stderr.write(`memory series: ${settings.rssRequests} requests through a fresh proxy (49KB, half JSON, half stream)\n`);
    const toFresh = (pair: RequestPair) => ({ ...pair.proxied, url: `${proxy.url}/v1/messages?beta=true` });
    return await trackProxyRss([toFresh(pairs.get("49KB json")!), toFresh(pairs.get("49KB stream")!)], {
      total: settings.rssRequests,
      every: settings.rssEvery,
      concurrency: settings.concurrency,
      readRss: proxy.readRss,
    });
  } finally {
    await proxy.stop();
  }
}

/** The proxy under test, in its own process. */
function startProxy(backendUrl: string, bunFlags: string[] = [], logGc = false): Promise<BenchProcess> {
  const env = { ...settings.proxyEnv, ...(logGc ? { BUN_JSC_logGC: "1" } : {}) };
  return startBenchProxy(backendUrl, { root: ROOT, floor: settings.floor, binary: settings.binary, bunFlags, env, captureStderr: logGc });
}

function summarizeScenario(
  scenario: { body: BodyName; mode: AnswerMode; concurrency: number },
  samples: PairSamples,
  proxyCpuMsPerRequest: number,
): ScenarioResult {
  const direct = summarizeLatencies(samples.direct.totalMs);
  const proxied = summarizeLatencies(samples.proxied.totalMs);
  const firstByteAdded = subtractPercentiles(
    summarizeLatencies(samples.proxied.firstByteMs),
    summarizeLatencies(samples.direct.firstByteMs),
  );
  const added = subtractPercentiles(proxied, direct);
  return { ...scenario, count: samples.proxied.totalMs.length, direct, proxied, added, firstByteAdded, proxyCpuMsPerRequest };
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      requests: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      "rss-requests": { type: "string" },
      "rss-every": { type: "string" },
      quick: { type: "boolean", default: false },
      gc: { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
      ...PROXY_UNDER_TEST_FLAGS,
    },
  });
  exitWithHelpIfAsked(values.help, HELP);
  const quick = values.quick === true;
  if (values.binary && values["cpu-prof"]) throw new Error("--cpu-prof profiles the sources; it cannot be combined with --binary");
  if (values.floor && (values.binary || values["cpu-prof"]))
    throw new Error("--floor replaces anyclaude; it cannot be combined with --binary or --cpu-prof");
  return {
    requests: readCount(values.requests, quick ? 200 : 2000, "--requests"),
    warmup: readCount(values.warmup, quick ? 50 : 200, "--warmup"),
    concurrency: readCount(values.concurrency, 16, "--concurrency"),
    rssRequests: readCount(values["rss-requests"], quick ? 2000 : 10_000, "--rss-requests"),
    rssEvery: readCount(values["rss-every"], quick ? 200 : 1000, "--rss-every"),
    quick,
    gc: values.gc === true,
    cpuProfileDir: values["cpu-prof"],
    binary: values.binary === undefined ? undefined : resolve(values.binary),
    floor: readFloor(values.floor),
    proxyEnv: readProxyEnv(values["proxy-env"] ?? []),
  };
}

function describeProxy(): string {
  if (settings.floor) return `bench/floor-forwarder.ts ${settings.floor}, in place of anyclaude ${VERSION}`;
  return settings.binary ? `anyclaude ${VERSION}, compiled binary ${settings.binary}` : `anyclaude ${VERSION} from source`;
}

function describeSettings({
  cpuProfileDir,
  binary: _binary,
  floor: _floor,
  proxyEnv,
  ...counts
}: Settings): Record<string, number | string | boolean> {
  const described: Record<string, number | string | boolean> = { ...counts };
  const assignments = Object.entries(proxyEnv).map(([name, value]) => `${name}=${value}`);
  if (assignments.length > 0) described.proxyEnv = assignments.join(" ");
  if (cpuProfileDir) described.cpuProfile = `${cpuProfileDir} (figures slowed by the profiler)`;
  return described;
}

function describeCommit(): string {
  const git = (...args: string[]) =>
    Bun.spawnSync(["git", ...args], { cwd: ROOT })
      .stdout.toString()
      .trim();
  const commit = git("rev-parse", "--short", "HEAD") || "unknown commit";
  return git("status", "--porcelain", "--untracked-files=no", "src") === "" ? commit : `${commit}+changes`;
}
