/**
 * The compiled binary's start-up budget (issue 3): time from exec to a listening port, the CPU
 * time that took (steadier than the time on a busy machine), resident memory once idle, time to
 * exit on SIGTERM, and the binary's size. Each run starts the binary
 * alone in an empty directory with a fresh HOME, in front of a loopback llama-server fake, so
 * start-up includes probing the backend as it does on a workstation.
 *
 * @example
 * bun bench/startup.ts              # dist/anyclaude if fresh, else a build; 15 runs
 * bun bench/startup.ts --runs 50 --binary ./anyclaude
 * bun bench/startup.ts --proxy-env BUN_JSC_useFTLJIT=0   # a variable in the server's environment
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findOrBuildAnyclaudeBinary, prepareBareMachine } from "../test/support/anyclaude-binary";
import { openAIJson, startFakeOpenAIBackend } from "../test/support/fake-openai-backend";
import { llamaServerCompletion } from "../test/support/fake-openai-chunks";
import { readProxyEnv } from "./bench-args";
import { summarizeLatencies } from "./latency-stats";

const TARGET_START_MS = 300;
const TARGET_IDLE_RSS_MB = 60;
/** How long the server sits idle before its memory is read: start-up garbage has had time to go. */
const IDLE_MS = 1_000;
const GIVE_UP_MS = 30_000;
/** USER_HZ: the unit of /proc/PID/stat's CPU times, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "15" },
    binary: { type: "string" },
    "proxy-env": { type: "string", multiple: true, default: [] },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log("Usage: bun bench/startup.ts [--runs N] [--binary PATH] [--proxy-env NAME=VALUE ...]");
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
const proxyEnv = readProxyEnv(values["proxy-env"]);

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-startup-"));
const binaryPath = values.binary ?? (await findOrBuildAnyclaudeBinary(scratch)).path;
const machine = prepareBareMachine(binaryPath, scratch);
const backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "ok" })));

const startMs: number[] = [];
const startCpuMs: number[] = [];
const idleRssMb: number[] = [];
const stopMs: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const port = await findFreePort();
    const started = performance.now();
    const child = Bun.spawn([machine.binary, "serve", "--port", String(port), "--backend", backend.url], {
      cwd: machine.cwd,
      env: { ...machine.env, ...proxyEnv },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    await waitUntilAnswering(`http://127.0.0.1:${port}/health`, child);
    startMs.push(performance.now() - started);
    startCpuMs.push(readCpuMs(child.pid));
    await Bun.sleep(IDLE_MS);
    idleRssMb.push(readRssMb(child.pid));
    const stopping = performance.now();
    child.kill("SIGTERM");
    const status = await child.exited;
    stopMs.push(performance.now() - stopping);
    if (status !== 0) throw new Error(`run ${run + 1}: anyclaude exited with status ${status} on SIGTERM`);
  }
} finally {
  await backend.stop();
  machine.remove();
  rmSync(scratch, { recursive: true, force: true });
}

const start = summarizeLatencies(startMs);
const startCpu = summarizeLatencies(startCpuMs);
const rss = summarizeLatencies(idleRssMb);
const stop = summarizeLatencies(stopMs);
const verdict = (ok: boolean) => (ok ? "within target" : "OVER TARGET");
const extraEnv = Object.entries(proxyEnv)
  .map(([name, value]) => ` ${name}=${value}`)
  .join("");
console.log(`anyclaude start-up: ${binaryPath}${extraEnv}, ${runs} runs, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
console.log(`  binary size             ${(statSync(binaryPath).size / 1e6).toFixed(1)} MB`);
console.log(
  `  start -> listening      p50 ${start.p50.toFixed(0)} ms, p95 ${start.p95.toFixed(0)} ms, min ${Math.min(...startMs).toFixed(0)} ms  ` +
    `(target <= ${TARGET_START_MS} ms: ${verdict(start.p50 <= TARGET_START_MS)})`,
);
console.log(
  `  CPU until listening     p50 ${startCpu.p50.toFixed(0)} ms, p95 ${startCpu.p95.toFixed(0)} ms, min ${Math.min(...startCpuMs).toFixed(0)} ms`,
);
console.log(
  `  RSS idle (after ${IDLE_MS / 1000} s)    p50 ${rss.p50.toFixed(1)} MB, max ${Math.max(...idleRssMb).toFixed(1)} MB  (target <= ${TARGET_IDLE_RSS_MB} MB: ${verdict(rss.p50 <= TARGET_IDLE_RSS_MB)})`,
);
console.log(`  SIGTERM -> exited       p50 ${stop.p50.toFixed(0)} ms, max ${Math.max(...stopMs).toFixed(0)} ms`);
console.log("  peer for reference: claude-code-router took 2.4-3.8 s to its first request and ~68 s to shut down");

/** Polls until the server answers; a refused connection comes back at once, so polling is tight. */
async function waitUntilAnswering(url: string, child: { exitCode: number | null }): Promise<void> {
  const deadline = performance.now() + GIVE_UP_MS;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch {
      if (child.exitCode !== null) throw new Error(`anyclaude exited with status ${child.exitCode} before listening`);
      if (performance.now() > deadline) throw new Error(`anyclaude did not answer ${url} within ${GIVE_UP_MS} ms`);
      await Bun.sleep(1);
    }
  }
}

/** User and system CPU of the whole process so far, from /proc (clock ticks of 10 ms). */
function readCpuMs(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function readRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

async function findFreePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}
