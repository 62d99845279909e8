/**
 * Test support for the compiled binary: the binary itself (dist/anyclaude when it is newer
 * than every source, else a build of these sources, made once and kept for the next test file
 * and run), and a bare machine to run it on: an empty directory holding only the binary, fresh
 * HOME and XDG directories, and a TMPDIR mounted noexec when this machine lets us mount.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildStamp, compileAnyclaude, readBuildStamp } from "../../build";

const ROOT = join(import.meta.dir, "../..");
const DIST_BINARY = join(ROOT, "dist/anyclaude");
/** What the binary is built from; a change to any of them makes dist/anyclaude stale. */
const SOURCES = ["src", "models", "drizzle", "build.ts", "package.json", "package-lock.json", "bun.lock", "tsconfig.json"];

export interface AnyclaudeBinary {
  path: string;
  /** The stamp it was built with; undefined when dist/anyclaude was reused (built earlier, stamp unknown). */
  stamp?: BuildStamp;
}

/**
 * @example
 * const binary = await findOrBuildAnyclaudeBinary(scratchDir);
 */
export async function findOrBuildAnyclaudeBinary(scratchDir: string): Promise<AnyclaudeBinary> {
  const newest = newestSourceMtime();
  if (existsSync(DIST_BINARY) && statSync(DIST_BINARY).mtimeMs > newest) return { path: DIST_BINARY };
  // Keyed by this checkout and its newest source: every binary test file of a run shares one build.
  const builds = join(tmpdir(), "anyclaude-test-binaries", Bun.hash(ROOT).toString(16));
  const kept = join(builds, String(Math.round(newest)));
  if (existsSync(join(kept, "stamp.json"))) {
    return { path: join(kept, "anyclaude"), stamp: JSON.parse(readFileSync(join(kept, "stamp.json"), "utf8")) as BuildStamp };
  }
  const stamp = readBuildStamp();
  const building = mkdtempSync(join(scratchDir, "anyclaude-build-"));
  const problems = await compileAnyclaude({ target: "bun-linux-x64", outfile: join(building, "anyclaude"), stamp });
  if (problems.length > 0) throw new Error(`building the binary failed:\n${problems.join("\n")}`);
  writeFileSync(join(building, "stamp.json"), JSON.stringify(stamp));
  // Builds of older sources are of no more use; each weighs as much as the binary.
  rmSync(builds, { recursive: true, force: true });
  mkdirSync(builds, { recursive: true });
  try {
    renameSync(building, kept);
  } catch {
    // Another file system than the scratch dir's: use the build where it is.
    return { path: join(building, "anyclaude"), stamp };
  }
  return { path: join(kept, "anyclaude"), stamp };
}

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    newest = Math.max(newest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const source of SOURCES) visit(join(ROOT, source));
  return newest;
}

export interface BareMachine {
  /** The working directory: empty but for the binary. */
  cwd: string;
  binary: string;
  /** HOME, XDG_* and TMPDIR, plus a minimal PATH; nothing is inherited from the test runner. */
  env: Record<string, string>;
  /** Undefined when TMPDIR is a noexec mount; otherwise why it could not be made one. */
  noexecTmpProblem?: string;
  remove(): void;
}

/**
 * @example
 * const machine = prepareBareMachine(binary.path, scratchDir);
 * Bun.spawn([machine.binary, "--version"], { cwd: machine.cwd, env: machine.env });
 * machine.remove();
 */
export function prepareBareMachine(binaryPath: string, scratchDir: string): BareMachine {
  const root = mkdtempSync(join(scratchDir, "machine-"));
  const cwd = join(root, "empty");
  const home = join(root, "home");
  const tmp = join(root, "tmp");
  for (const dir of [cwd, home, tmp]) mkdirSync(dir);
  const binary = join(cwd, "anyclaude");
  copyFileSync(binaryPath, binary);
  chmodSync(binary, 0o755);
  const noexecTmpProblem = mountNoexecTmpfs(tmp);
  return {
    cwd,
    binary,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_DATA_HOME: join(home, "data"),
      XDG_CACHE_HOME: join(home, "cache"),
      TMPDIR: tmp,
      NO_COLOR: "1",
    },
    noexecTmpProblem,
    remove() {
      if (noexecTmpProblem === undefined) Bun.spawnSync(["umount", tmp]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Mounting needs root (or CAP_SYS_ADMIN); returns why it failed, or undefined once mounted. */
function mountNoexecTmpfs(dir: string): string | undefined {
  if (!Bun.which("mount")) return "no mount command";
  const result = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "noexec,nosuid,nodev,size=64m", "tmpfs", dir], { stderr: "pipe" });
  if (!result.success) return `mount -t tmpfs -o noexec failed: ${result.stderr.toString().trim() || `exit status ${result.exitCode}`}`;
  return undefined;
}
