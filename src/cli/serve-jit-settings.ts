/**
 * `anyclaude serve` runs JavaScriptCore without its top JIT tier (FTL). On a proxy's short,
 * branchy request path FTL's compilations cost more than they return: with it off, the same
 * requests take less CPU, the one-at-a-time p95 and p99 fall, p50 stays where it was, and the
 * process holds 7-9 MB less under load (docs/decisions/0012-serve-without-ftl.md has the runs).
 *
 * JavaScriptCore reads its options from the environment once, as the process starts, so `serve`
 * applies them by replacing itself: execve of the same executable with the same arguments and
 * the options added to its environment. The process keeps its PID, its open files and its
 * parent (a shell, systemd, a test), and runs its start-up once more (about 10 ms). A user who
 * sets the variable themselves (e.g. `BUN_JSC_useFTLJIT=1` to keep FTL) is left as they chose.
 */
import { dlopen, FFIType, ptr, read } from "bun:ffi";
import { readFileSync } from "node:fs";

/** What `serve` adds to its environment before JavaScriptCore starts. */
export const SERVE_JIT_ENVIRONMENT: Readonly<Record<string, string>> = { BUN_JSC_useFTLJIT: "0" };

export type JitSettingsOutcome =
  /** Every variable was already in the environment: this process runs with them (or with the user's values). */
  | { kind: "in-effect" }
  /** Not on Linux, where /proc and execve are: the process runs with Bun's defaults. */
  | { kind: "unsupported"; platform: string }
  /** execve could not run; the process goes on with Bun's defaults. */
  | { kind: "failed"; reason: string };

/**
 * Returns only when the process goes on as it is; on success the process image is replaced and
 * this call never returns.
 *
 * @example
 * const outcome = applyServeJitSettings(process.env);
 * if (outcome.kind === "failed") process.stderr.write(`JIT settings not applied: ${outcome.reason}\n`);
 */
export function applyServeJitSettings(env: Record<string, string | undefined>, platform: string = process.platform): JitSettingsOutcome {
  if (Object.keys(SERVE_JIT_ENVIRONMENT).every((name) => env[name] !== undefined)) return { kind: "in-effect" };
  if (platform !== "linux") return { kind: "unsupported", platform };
  try {
    // The arguments exactly as this process got them (Bun's own flags included), NUL-separated.
    const argv = readFileSync("/proc/self/cmdline", "latin1").split("\0").slice(0, -1);
    const environment = Object.entries({ ...env, ...SERVE_JIT_ENVIRONMENT })
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${name}=${value}`);
    const errno = execve("/proc/self/exe", argv, environment);
    return { kind: "failed", reason: `execve failed (errno ${errno})` };
  } catch (error) {
    return { kind: "failed", reason: (error as Error).message };
  }
}

/**
 * What execve reads through raw addresses: the collector cannot see those, so the buffers stay
 * referenced from here (a few KB, only ever filled when the restart fails).
 */
const handedToExecve: ArrayBufferView[] = [];

/** libc's execve; returns errno when it fails (on success it does not return). */
function execve(file: string, argv: string[], environment: string[]): number {
  const libc = dlopen("libc.so.6", {
    execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  });
  const keep = <T extends ArrayBufferView>(view: T): T => {
    handedToExecve.push(view);
    return view;
  };
  const table = (items: string[]) => {
    const pointers = keep(new BigUint64Array(items.length + 1));
    items.forEach((item, index) => (pointers[index] = BigInt(ptr(keep(Buffer.from(`${item}\0`))))));
    return pointers;
  };
  libc.symbols.execve(ptr(keep(Buffer.from(`${file}\0`))), ptr(table(argv)), ptr(table(environment)));
  const errno = read.i32(libc.symbols.__errno_location()!, 0);
  libc.close();
  return errno;
}
