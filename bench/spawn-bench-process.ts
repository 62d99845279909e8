/**
 * Starts a server the benchmark measures in a process of its own (so its memory is its own and
 * the client's work does not land on it), waits for its `listening on URL` line, and reads its
 * resident memory from /proc.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SERVE_RUNTIME_ENVIRONMENT } from "../src/cli/serve-runtime-environment";

export interface BenchProcess {
  url: string;
  pid: number;
  /** Resident set size in bytes (Linux VmRSS). */
  readRss(): number;
  /** CPU time its threads ran so far, to the nanosecond (Linux /proc/PID/task/TID/schedstat): fine enough for one request. */
  readCpuSeconds(): number;
  /** SIGTERM, then waits for the exit (servers drain and write profiles on the way out). */
  stop(): Promise<void>;
  /** What it wrote to stderr so far, when started with `captureStderr` (else it goes to ours). */
  readStderr(): string;
}

const STARTUP_MS = 30_000;

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** The program to run; default this Bun, so `args` start with a script. */
  executable?: string;
  /** Keep its stderr (e.g. the collector's log) for `readStderr` instead of passing it through. */
  captureStderr?: boolean;
  /** Also called with each piece of its stderr as it arrives, and when (performance.now()); implies captureStderr. */
  onStderr?: (text: string, receivedAt: number) => void;
  /** For a server that prints no `listening on URL` line: its URL, asked until it answers. */
  url?: string;
}

/**
 * @example
 * const proxy = await spawnBenchProcess(["src/cli/main.ts", "serve", "--port", "0"]);
 * console.log(proxy.url, proxy.readRss());
 */
export async function spawnBenchProcess(args: string[], options: SpawnOptions = {}): Promise<BenchProcess> {
  const child = Bun.spawn([options.executable ?? process.execPath, ...args], {
    cwd: options.cwd,
    stdin: "ignore",
    stdout: "pipe",
    stderr: options.captureStderr || options.onStderr ? "pipe" : "inherit",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  let stderr = "";
  const append = (text: string) => {
    stderr += text;
    options.onStderr?.(text, performance.now());
  };
  const collecting = child.stderr instanceof ReadableStream ? collectText(child.stderr, append) : Promise.resolve();
  const url = options.url ? await waitForAnswer(child, options.url) : await waitForListeningUrl(child, args.join(" "));
  return {
    url,
    pid: child.pid,
    readRss: () => readVmRss(child.pid),
    readCpuSeconds: () => readCpuSeconds(child.pid),
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
      await collecting;
    },
    readStderr: () => stderr,
  };
}

/** Which proxy a benchmark measures, and how it runs. */
export interface ProxyUnderTest {
  /** bench/floor-forwarder.ts of this kind instead of anyclaude, for scale. */
  floor?: "bare" | "json";
  /** A compiled anyclaude (absolute path) instead of `bun src/cli/main.ts`. */
  binary?: string;
  /** Bun's own flags, for anyclaude from source (e.g. --cpu-prof). */
  bunFlags?: string[];
  /** Added to the proxy's environment. */
  env?: Record<string, string>;
  captureStderr?: boolean;
  onStderr?: SpawnOptions["onStderr"];
}

/**
 * anyclaude as its systemd unit and `npm start` start it (`serve` in front of `backendUrl`, with
 * the runtime settings of decision 0017 in its environment), or a floor forwarder.
 *
 * @example
 * const proxy = await startBenchProxy(backend.url, { root, binary: "/abs/dist/anyclaude" });
 */
export function startBenchProxy(backendUrl: string, proxy: ProxyUnderTest & { root: string }): Promise<BenchProcess> {
  const options = { cwd: proxy.root, captureStderr: proxy.captureStderr, onStderr: proxy.onStderr };
  if (proxy.floor) return spawnBenchProcess(["bench/floor-forwarder.ts", backendUrl, proxy.floor], { ...options, env: proxy.env });
  const serve = ["serve", "--port", "0", "--backend", backendUrl, "--log-level", "warn"];
  // The same requests go out thousands of times: with the response cache on, anyclaude would
  // answer them itself and the benchmark would measure the cache (bench/cache.ts does), not the proxy.
  // A scratch data dir: the request history must not land in the user's own database.
  const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-bench-data-"));
  const env = { ANYCLAUDE_CACHE__ENABLED: "false", ANYCLAUDE_DATA_DIR: dataDir, ...SERVE_RUNTIME_ENVIRONMENT, ...proxy.env };
  if (proxy.binary) return spawnBenchProcess(serve, { ...options, executable: proxy.binary, env });
  return spawnBenchProcess([...(proxy.bunFlags ?? []), "src/cli/main.ts", ...serve], { ...options, env });
}

async function collectText(stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) append(decoder.decode(chunk, { stream: true }));
}

async function waitForListeningUrl(child: Subprocess<"ignore", "pipe", "inherit" | "pipe">, label: string): Promise<string> {
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  let seen = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), STARTUP_MS);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${label} exited before listening; its output:\n${seen}`);
      seen += decoder.decode(value, { stream: true });
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        // Keep draining its stdout so a chatty server never blocks on a full pipe.
        void drain(reader);
        return match[1]!;
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

async function waitForAnswer(child: Subprocess<"ignore", "pipe", "inherit" | "pipe">, url: string): Promise<string> {
  void drain(child.stdout.getReader());
  const deadline = performance.now() + STARTUP_MS;
  while (child.exitCode === null && performance.now() < deadline) {
    // Refused until it listens: that is what is being waited for.
    const answered = await fetch(url).then(
      (response) => response.arrayBuffer().then(() => true),
      () => false,
    );
    if (answered) return url;
    await Bun.sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`${url} did not answer within ${STARTUP_MS} ms (exit code ${child.exitCode})`);
}

async function drain(reader: { read(): Promise<{ done: boolean }> }): Promise<void> {
  while (!(await reader.read()).done) {
    // discard
  }
}

function readVmRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kilobytes) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes[1]) * 1024;
}

function readCpuSeconds(pid: number): number {
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, "utf8").split(" ")[0]);
    } catch (error) {
      // A thread that ended between the listing and the read took its time with it.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  return nanoseconds / 1e9;
}
