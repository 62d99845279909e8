/** Command-line flags and values the overhead benchmarks share. */
import type { ProxyUnderTest } from "./spawn-bench-process";

/**
 * The flags that choose the proxy under test (bench/spawn-bench-process.ts), for parseArgs.
 *
 * @example
 * const { values } = parseArgs({ options: { requests: { type: "string" }, ...PROXY_UNDER_TEST_FLAGS } });
 */
export const PROXY_UNDER_TEST_FLAGS = {
  binary: { type: "string" },
  floor: { type: "string" },
  "proxy-env": { type: "string", multiple: true, default: [] as string[] },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Prints the usage and exits when --help was given.
 *
 * @example
 * exitWithHelpIfAsked(values.help, HELP);
 */
export function exitWithHelpIfAsked(asked: boolean | undefined, help: string): void {
  if (!asked) return;
  process.stdout.write(help);
  process.exit(0);
}

/**
 * `--proxy-env NAME=VALUE` flags as an environment to add to the proxy under test.
 *
 * @example
 * readProxyEnv(["MIMALLOC_PURGE_DELAY=100"]) // { MIMALLOC_PURGE_DELAY: "100" }
 */
export function readProxyEnv(assignments: string[]): Record<string, string> {
  const entries = assignments.map((assignment) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(assignment);
    if (!match) throw new Error(`--proxy-env takes NAME=VALUE, not "${assignment}"`);
    return [match[1]!, match[2]!] as const;
  });
  return Object.fromEntries(entries);
}

/**
 * `--floor`: which minimal forwarder replaces anyclaude (bench/floor-forwarder.ts), if any.
 *
 * @example
 * readFloor("json") // "json"
 */
export function readFloor(given: string | undefined): ProxyUnderTest["floor"] {
  if (given === undefined || given === "bare" || given === "json") return given;
  throw new Error(`--floor is "bare" or "json", not "${given}"`);
}

/**
 * A count flag's value, or the fallback when it was not given.
 *
 * @example
 * readCount("300", 2000, "--requests") // 300
 */
export function readCount(given: string | undefined, fallback: number, flag: string): number {
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a positive whole number, not "${given}"`);
  return value;
}
