/**
 * One line of progress: a bar (or, in plain text for a log, none), a percentage and the counts,
 * or the count alone when the total is unknown.
 */

export interface ProgressUpdate {
  done: number;
  /** Unknown when the source cannot count ahead. */
  total: number | undefined;
  /** The last update: the bar ends its line. */
  finished?: boolean;
}

const BAR_WIDTH = 30;

/**
 * The line without its carriage return, cut to the terminal's width so it never wraps (a
 * wrapped line cannot be redrawn in place).
 *
 * @example
 * formatProgressLine("indexing", { done: 1, total: 4 }, 80); // "indexing [########----------------------]  25% 1/4"
 * formatProgressLine("indexing", { done: 1200, total: undefined }, 80); // "indexing 1200"
 * formatProgressLine("indexing", { done: 1, total: 4 }, 80, "plain"); // "indexing 25% 1/4"
 */
export function formatProgressLine(label: string, update: ProgressUpdate, columns = 80, style: "bar" | "plain" = "bar"): string {
  const { done, total } = update;
  let line: string;
  if (total === undefined || total <= 0) {
    line = `${label} ${done}`;
  } else {
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const percent = `${Math.floor(fraction * 100)}%`;
    line =
      style === "plain"
        ? `${label} ${percent} ${done}/${total}`
        : `${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${percent.padStart(4)} ${done}/${total}`;
  }
  return line.slice(0, Math.max(1, columns - 1));
}
