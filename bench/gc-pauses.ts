/**
 * The collector's pauses in a process run with `BUN_JSC_logGC=1`: JavaScriptCore writes one
 * line per pause to stderr, `[GC<heap>: START M 38138kb => EdenCollection, … p=1.31ms (max …) …]`
 * when a collection starts, and `[GC<heap>: M a=19kb … p=0.63ms …]` for each further pause of a
 * collection that goes on concurrently. Each pause is counted once, under its collection's scope
 * (young "Eden", or "Full").
 */
import { nearestRank } from "./latency-stats";

export interface PauseSummary {
  count: number;
  /** Nearest-rank percentiles and maximum of the pauses, in ms; undefined without pauses. */
  p50?: number;
  p90?: number;
  max?: number;
}

export interface GcPauses {
  eden: PauseSummary;
  full: PauseSummary;
}

const LINE = /^\[GC<(0x[0-9a-f]+)>: (START .*?=> (Eden|Full)Collection|M a=).*? p=([0-9.]+)ms/;

/**
 * @example
 * summarizeGcPauses("[GC<0x1>: START M 9kb => EdenCollection, a=0kb p=1.5ms (max 1.5) END]\n")
 * // { eden: { count: 1, p50: 1.5, p90: 1.5, max: 1.5 }, full: { count: 0 } }
 */
export function summarizeGcPauses(log: string): GcPauses {
  const pauses = { Eden: [] as number[], Full: [] as number[] };
  const scopeOfHeap = new Map<string, "Eden" | "Full">();
  for (const line of log.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, heap, , startedScope, pause] = match;
    if (startedScope === "Eden" || startedScope === "Full") scopeOfHeap.set(heap!, startedScope);
    const scope = scopeOfHeap.get(heap!);
    // A continuation whose start was not in the log cannot be attributed: left out.
    if (scope) pauses[scope].push(Number(pause));
  }
  return { eden: summarize(pauses.Eden), full: summarize(pauses.Full) };
}

function summarize(pauses: number[]): PauseSummary {
  if (pauses.length === 0) return { count: 0 };
  const sorted = [...pauses].sort((a, b) => a - b);
  return { count: sorted.length, p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), max: sorted.at(-1) };
}
