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

/** One pause of the collector, under the scope of the collection it belongs to. */
export interface GcPause {
  scope: "Eden" | "Full";
  ms: number;
}

/**
 * Reads the log as it arrives, in chunks that may cut lines anywhere, and returns the pauses of
 * the lines each chunk completes: a benchmark that notes when each chunk came can tell which
 * requests a pause met (bench/tail-attribution.ts).
 *
 * @example
 * const reader = new GcLogReader();
 * reader.push("[GC<0x1>: START M 9kb => EdenCol"); // []
 * reader.push("lection, a=0kb p=1.5ms (max 1.5) END]\n"); // [{ scope: "Eden", ms: 1.5 }]
 */
export class GcLogReader {
  readonly #scopeOfHeap = new Map<string, GcPause["scope"]>();
  #partial = "";

  push(text: string): GcPause[] {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop()!;
    return lines.flatMap((line) => this.#read(line));
  }

  /** Reads what is left after the last newline (the end of the log). */
  end(): GcPause[] {
    const last = this.#partial;
    this.#partial = "";
    return this.#read(last);
  }

  #read(line: string): GcPause[] {
    const match = LINE.exec(line);
    if (!match) return [];
    const [, heap, , startedScope, pause] = match;
    if (startedScope === "Eden" || startedScope === "Full") this.#scopeOfHeap.set(heap!, startedScope);
    const scope = this.#scopeOfHeap.get(heap!);
    // A continuation whose start was not in the log cannot be attributed: left out.
    return scope ? [{ scope, ms: Number(pause) }] : [];
  }
}

/**
 * @example
 * summarizeGcPauses("[GC<0x1>: START M 9kb => EdenCollection, a=0kb p=1.5ms (max 1.5) END]\n")
 * // { eden: { count: 1, p50: 1.5, p90: 1.5, max: 1.5 }, full: { count: 0 } }
 */
export function summarizeGcPauses(log: string): GcPauses {
  const reader = new GcLogReader();
  const pauses = [...reader.push(log), ...reader.end()];
  const of = (scope: GcPause["scope"]) => pauses.filter((pause) => pause.scope === scope).map((pause) => pause.ms);
  return { eden: summarize(of("Eden")), full: summarize(of("Full")) };
}

function summarize(pauses: number[]): PauseSummary {
  if (pauses.length === 0) return { count: 0 };
  const sorted = [...pauses].sort((a, b) => a - b);
  return { count: sorted.length, p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), max: sorted.at(-1) };
}
