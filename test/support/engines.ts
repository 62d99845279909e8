/**
 * Builds llama.cpp's llama-server for the real-engine tests, offline, from the llama.cpp source that the
 * npm package node-llama-cpp ships as a git bundle, and caches the binary outside the repository
 * keyed by the source commit. `bun run engines` runs it; tests call findLlamaServer().
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ProgressUpdate } from "../../src/log/format-progress-line";
import { createProgressReporter } from "../../src/log/progress-reporter";

const PACKAGE = "node-llama-cpp@3.21.1";
const TARBALL = "node-llama-cpp-3.21.1.tgz";
const BUNDLE_IN_TARBALL = "package/llama/gitRelease.bundle";

/** CPU only, static, and no web UI: the UI options would otherwise download files at build time. */
const CMAKE_OPTIONS = [
  "-G",
  "Ninja",
  "-DCMAKE_BUILD_TYPE=Release",
  "-DLLAMA_BUILD_UI=OFF",
  "-DLLAMA_USE_PREBUILT_UI=OFF",
  "-DLLAMA_OPENSSL=OFF",
  "-DLLAMA_BUILD_TESTS=OFF",
  "-DLLAMA_BUILD_EXAMPLES=OFF",
  "-DBUILD_SHARED_LIBS=OFF",
  "-DGGML_NATIVE=OFF",
];

/** Debian package for each command the build runs. */
const BUILD_TOOLS: Record<string, string> = { cmake: "cmake", ninja: "ninja-build", git: "git", "c++": "g++", tar: "tar" };

export class MissingBuildToolsError extends Error {
  constructor(readonly packages: string[]) {
    super(`building llama-server needs ${packages.join(", ")}; install with:\n  apt-get install -y ${packages.join(" ")}`);
  }
}

function cacheRoot(): string {
  return process.env.ANYCLAUDE_ENGINES_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "anyclaude-dev");
}

function log(message: string): void {
  console.log(`[engines] ${message}`);
}

/** The commit HEAD points at in the bundle; undefined until the bundle has been extracted. */
function readBundleCommit(bundle: string): string | undefined {
  if (!existsSync(bundle)) return undefined;
  const heads = spawnSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" });
  const head = heads.stdout?.split("\n").find((line) => line.endsWith(" HEAD"));
  return head?.split(" ")[0];
}

function layoutFor(root: string, commit: string) {
  const dir = join(root, `llama.cpp-${commit}`);
  return { dir, src: join(dir, "src"), build: join(dir, "build"), binary: join(dir, "build", "bin", "llama-server") };
}

function runsVersion(binary: string): boolean {
  return existsSync(binary) && spawnSync(binary, ["--version"], { stdio: "ignore", timeout: 30_000 }).status === 0;
}

/**
 * The cached llama-server binary, or undefined when it has not been built (never builds).
 * @example
 * const binary = findLlamaServer();
 * if (!binary) console.log("run `bun run engines` first");
 */
export function findLlamaServer(): string | undefined {
  const root = cacheRoot();
  const commit = readBundleCommit(join(root, BUNDLE_IN_TARBALL));
  if (!commit) return undefined;
  const { binary, dir } = layoutFor(root, commit);
  if (findBuildProcesses(dir).length > 0) return undefined; // still linking, perhaps
  return runsVersion(binary) ? binary : undefined;
}

/** PIDs of cmake/ninja processes working in `dir` (Linux /proc; elsewhere none are seen). */
function findBuildProcesses(dir: string): number[] {
  if (!existsSync("/proc")) return [];
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const program = argv[0]?.split("/").pop() ?? "";
      const isBuild = program === "ninja" || (program === "cmake" && argv.includes("--build"));
      if (!isBuild) continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd.startsWith(dir) || argv.some((arg) => arg.startsWith(dir))) found.push(Number(entry));
    } catch {}
  }
  return found;
}

function missingTools(): string[] {
  return Object.entries(BUILD_TOOLS)
    .filter(([command]) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status !== 0)
    .map(([, pkg]) => pkg);
}

/** Runs a command with its output appended to `logPath`; `onLine` sees each output line. */
function run(cmd: string[], cwd: string, logPath: string, onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const logFile = createWriteStream(logPath, { flags: "a" });
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    const take = (chunk: Buffer) => {
      logFile.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine?.(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      logFile.end();
      if (code === 0) resolve();
      else reject(new Error(`${cmd.join(" ")} exited with ${code}; see ${logPath}`));
    });
  });
}

/** A 20-minute build: on a terminal a redrawn line, in a log a line every half minute. */
const BUILD_PROGRESS = { stream: process.stdout, plainIntervalMs: 30_000 };

/**
 * Turns ninja's "[n/total] Building CXX object …" lines into progress updates, the last one
 * when n reaches total; other lines are passed over.
 *
 * @example
 * run(["cmake", "--build", "build"], dir, logPath, reportNinjaProgress(createProgressReporter("[engines] building")));
 */
export function reportNinjaProgress(onProgress: (update: ProgressUpdate) => void): (line: string) => void {
  return (line) => {
    const match = /^\[(\d+)\/(\d+)\]/.exec(line);
    if (!match) return;
    const done = Number(match[1]);
    const total = Number(match[2]);
    onProgress({ done, total, finished: done === total });
  };
}

async function waitForOtherBuild(dir: string): Promise<void> {
  if (findBuildProcesses(dir).length === 0) return;
  log("another build is running here; waiting for it");
  // The other build's log tells how far it got, shown like our own build's progress.
  const follow = reportNinjaProgress(createProgressReporter("[engines] the other build", BUILD_PROGRESS));
  let lastLine = "";
  while (findBuildProcesses(dir).length > 0) {
    const tail = existsSync(join(dir, "build.log")) ? (readFileSync(join(dir, "build.log"), "utf8").trimEnd().split("\n").pop() ?? "") : "";
    if (tail !== lastLine) follow(tail);
    lastLine = tail;
    await Bun.sleep(10_000);
  }
}

/**
 * Returns the path of a working llama-server, building it first when the cache does not have one.
 * @example
 * const binary = await ensureLlamaServer(); // ~20 minutes the first time, instant afterwards
 */
export async function ensureLlamaServer(): Promise<string> {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const bundle = join(root, BUNDLE_IN_TARBALL);
  if (!existsSync(bundle)) {
    if (!existsSync(join(root, TARBALL))) {
      log(`fetching ${PACKAGE} (for the llama.cpp source it bundles) into ${root}`);
      await run(["npm", "pack", PACKAGE, "--pack-destination", root], root, join(root, "npm-pack.log"));
    }
    await run(["tar", "-xzf", join(root, TARBALL), "-C", root, BUNDLE_IN_TARBALL], root, join(root, "tar.log"));
  }
  const commit = readBundleCommit(bundle);
  if (!commit) throw new Error(`cannot read the HEAD commit of ${bundle}`);
  const paths = layoutFor(root, commit);
  await waitForOtherBuild(paths.dir);
  if (runsVersion(paths.binary)) return paths.binary;

  const missing = missingTools();
  if (missing.length > 0) throw new MissingBuildToolsError(missing);
  mkdirSync(paths.dir, { recursive: true });
  if (!existsSync(join(paths.src, "CMakeLists.txt"))) {
    log(`cloning llama.cpp ${commit} from the bundle`);
    const partial = `${paths.src}.partial`;
    rmSync(partial, { recursive: true, force: true });
    await run(["git", "clone", "--quiet", bundle, partial], paths.dir, join(paths.dir, "clone.log"));
    renameSync(partial, paths.src);
  }
  if (!existsSync(join(paths.build, "build.ninja"))) {
    log("configuring (cmake)");
    await run(["cmake", "-S", "src", "-B", "build", ...CMAKE_OPTIONS], paths.dir, join(paths.dir, "cmake.log"));
  }
  log(`building llama-server with 2 jobs (about 20 minutes on 2 cores); log: ${join(paths.dir, "build.log")}`);
  await run(
    ["cmake", "--build", "build", "--target", "llama-server", "-j2"],
    paths.dir,
    join(paths.dir, "build.log"),
    reportNinjaProgress(createProgressReporter("[engines] building llama-server", BUILD_PROGRESS)),
  );
  if (!runsVersion(paths.binary)) throw new Error(`built ${paths.binary} but it does not run --version`);
  return paths.binary;
}

if (import.meta.main) {
  try {
    console.log(await ensureLlamaServer());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof MissingBuildToolsError ? 2 : 1);
  }
}
