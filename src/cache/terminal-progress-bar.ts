/**
 * A one-line progress bar for long start-up work (rebuilding the vector index), drawn on stderr
 * and only when stderr is a terminal: in a log file or under systemd it would be noise.
 */

import { formatProgressLine, type ProgressUpdate } from "./format-progress-line";

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
