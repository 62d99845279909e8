/**
 * A one-line progress bar for long start-up work (rebuilding the vector index), drawn on stderr
 * and only when stderr is a terminal: in a log file or under systemd it would be noise.
 */

export interface ProgressUpdate {
  done: number;
  /** Unknown when the source cannot count ahead. */
  total: number | undefined;
  /** The last update: the bar ends its line. */
  finished?: boolean;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface TerminalProgressBarOptions {
  stream?: ProgressStream;
  /** Milliseconds; injected by tests. */
  now?: () => number;
  /** Least time between redraws; the first and last updates always draw. */
  intervalMs?: number;
}

const BAR_WIDTH = 30;

/**
 * @example
 * const onProgress = createTerminalProgressBar("rebuilding the vector index");
 * onProgress({ done: 4500, total: 10000 });
 * // stderr (a terminal): "\rrebuilding the vector index [##############----------------]  45% 4500/10000"
 */
export function createTerminalProgressBar(label: string, options: TerminalProgressBarOptions = {}): (update: ProgressUpdate) => void {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return () => {};
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 100;
  let lastDrawn: number | undefined;
  let lastLine = "";
  return (update) => {
    const time = now();
    if (!update.finished && lastDrawn !== undefined && time - lastDrawn < intervalMs) return;
    const line = formatProgressLine(label, update, stream.columns);
    if (line !== lastLine) stream.write(`\r${line.padEnd(lastLine.length)}`);
    if (update.finished) stream.write("\n");
    lastDrawn = time;
    lastLine = line;
  };
}

/**
 * The line without its carriage return, cut to the terminal's width so it never wraps (a
 * wrapped line cannot be redrawn in place).
 *
 * @example
 * formatProgressLine("indexing", { done: 1, total: 4 }, 80); // "indexing [########----------------------]  25% 1/4"
 * formatProgressLine("indexing", { done: 1200, total: undefined }, 80); // "indexing 1200"
 */
export function formatProgressLine(label: string, update: ProgressUpdate, columns = 80): string {
  const { done, total } = update;
  let line: string;
  if (total === undefined || total <= 0) {
    line = `${label} ${done}`;
  } else {
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    line = `${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${percent} ${done}/${total}`;
  }
  return line.slice(0, Math.max(1, columns - 1));
}
