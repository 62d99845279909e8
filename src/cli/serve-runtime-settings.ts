/**
 * `anyclaude serve` runs its runtime with settings made for a proxy rather than the defaults
 * (JavaScriptCore's are tuned for a browser): JavaScriptCore without its top JIT tier (FTL), its old
 * generation collected sooner, and mimalloc giving freed pages back at once. Under load the
 * process then takes less CPU and a shorter one-at-a-time tail, holds 9-10 MB less and stops
 * growing (docs/decisions/0012-serve-without-ftl.md and 0013-serve-collects-sooner.md have the
 * runs).
 *
 * JavaScriptCore and mimalloc read these settings from the environment once, as the process
 * starts, so `serve` applies them by replacing itself: execve of the same executable with the
 * same arguments and the settings added to its environment. The process keeps its PID, its open
 * files and its parent (a shell, systemd, a test), and runs its start-up once more (about 10 ms).
 * A variable the user set themselves (e.g. `BUN_JSC_useFTLJIT=1` to keep FTL) keeps their value.
 */
import { dlopen, FFIType, ptr, read } from "bun:ffi";
import { readFileSync } from "node:fs";

/** What `serve` adds to its environment before the runtime starts (each one's reason in its decision). */
export const SERVE_RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
  // Decision 0012: FTL's compilations cost a proxy's short request path more than they return.
  BUN_JSC_useFTLJIT: "0",
  // Decision 0013: a full collection once young collections would get less than 60% of the heap's
  // budget (JavaScriptCore: a third), so what requests in flight left in the old generation goes sooner.
  BUN_JSC_minEdenToOldGenerationRatio: "0.6",
  // Decision 0013: freed pages go back to the system at once, not after 100 ms.
  MIMALLOC_PURGE_DELAY: "0",
};

export type RuntimeSettingsOutcome =
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
 * const outcome = applyServeRuntimeSettings(process.env);
 * if (outcome.kind === "failed") process.stderr.write(`runtime settings not applied: ${outcome.reason}\n`);
 */
export function applyServeRuntimeSettings(
  env: Record<string, string | undefined>,
  platform: string = process.platform,
): RuntimeSettingsOutcome {
  if (Object.keys(SERVE_RUNTIME_ENVIRONMENT).every((name) => env[name] !== undefined)) return { kind: "in-effect" };
  if (platform !== "linux") return { kind: "unsupported", platform };
  try {
    // The arguments exactly as this process got them (Bun's own flags included), NUL-separated.
    const argv = readFileSync("/proc/self/cmdline", "latin1").split("\0").slice(0, -1);
    // The user's own values come last, so they win over ours.
    const environment = Object.entries({ ...SERVE_RUNTIME_ENVIRONMENT, ...env })
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
    for (const [index, item] of items.entries()) pointers[index] = BigInt(ptr(keep(Buffer.from(`${item}\0`))));
    return pointers;
  };
  libc.symbols.execve(ptr(keep(Buffer.from(`${file}\0`))), ptr(table(argv)), ptr(table(environment)));
  const errno = read.i32(libc.symbols.__errno_location()!, 0);
  libc.close();
  return errno;
}
