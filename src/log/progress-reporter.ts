/**
 * The one progress display for long work a person waits on (`anyclaude models pull`, rebuilding
 * the semantic cache index, `bun run engines`): on a terminal, one line redrawn in place; in a
 * log file, a pipe or under systemd, a plain line now and then, and none for work that ends
 * before the first one is due, so short work adds nothing to a log.
 */
import { formatProgressLine, type ProgressUpdate } from "./format-progress-line";

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressReporterOptions {
  /** Defaults to stderr. */
  stream?: ProgressStream;
  /** Milliseconds; injected by tests. */
  now?: () => number;
  /** On a terminal: least time between redraws; the first and last updates always draw. */
  intervalMs?: number;
  /** Elsewhere: time between plain lines, the first one this long after the start. */
  plainIntervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_PLAIN_INTERVAL_MS = 10_000;

/**
 * @example
 * const onProgress = createProgressReporter("rebuilding the vector index");
 * onProgress({ done: 4500, total: 10000 });
 * // a terminal: "\rrebuilding the vector index [##############----------------]  45% 4500/10000"
 * // a log, every 10 s: "rebuilding the vector index 45% 4500/10000\n"
 */
export function createProgressReporter(label: string, options: ProgressReporterOptions = {}): (update: ProgressUpdate) => void {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  return stream.isTTY
    ? redrawLine(label, stream, now, options.intervalMs ?? DEFAULT_INTERVAL_MS)
    : printPlainLines(label, stream, now, options.plainIntervalMs ?? DEFAULT_PLAIN_INTERVAL_MS);
}

function redrawLine(label: string, stream: ProgressStream, now: () => number, intervalMs: number) {
  let lastDrawn: number | undefined;
  let lastLine = "";
  return (update: ProgressUpdate) => {
    const time = now();
    if (!update.finished && lastDrawn !== undefined && time - lastDrawn < intervalMs) return;
    const line = formatProgressLine(label, update, stream.columns);
    if (line !== lastLine) stream.write(`\r${line.padEnd(lastLine.length)}`);
    if (update.finished) stream.write("\n");
    lastDrawn = time;
    lastLine = line;
  };
}

function printPlainLines(label: string, stream: ProgressStream, now: () => number, intervalMs: number) {
  let due: number | undefined;
  let printed = false;
  return (update: ProgressUpdate) => {
    const time = now();
    due ??= time + intervalMs;
    // The closing line only when earlier ones said the work was under way.
    if (update.finished ? !printed : time < due) return;
    stream.write(`${formatProgressLine(label, update, Number.POSITIVE_INFINITY, "plain")}\n`);
    printed = true;
    due = time + intervalMs;
  };
}
