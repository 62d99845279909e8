/** Reads the figures of the Markdown tables a benchmark prints, so runs can be compared cell by cell. */

/** One run's tables: the first number of each cell, by row label and column header. */
export interface TableFigures {
  /** Row labels (first cell) of the rows that have this column, in printed order. */
  rows(column: string): string[];
  figure(row: string, column: string): number | undefined;
}

/**
 * @example
 * const figures = readMarkdownTables("| turns | added p50 |\n|---|---|\n| 1–40 | 0.98 ms |\n");
 * figures.figure("1–40", "added p50"); // 0.98
 */
export function readMarkdownTables(text: string): TableFigures {
  const cells = new Map<string, Map<string, number>>();
  const order = new Map<string, string[]>();
  let header: string[] | undefined;
  for (const line of text.split("\n")) {
    if (!line.startsWith("|")) {
      header = undefined;
      continue;
    }
    const parts = line
      .split("|")
      .slice(1, -1)
      .map((part) => part.trim());
    if (!header) {
      header = parts;
      continue;
    }
    if (parts.every((part) => /^:?-+:?$/.test(part))) continue;
    const row = parts[0]!;
    for (const [index, column] of header.entries()) {
      const number = /-?\d+(?:\.\d+)?/.exec(parts[index] ?? "")?.[0];
      if (index === 0 || number === undefined) continue;
      const byRow = cells.get(column) ?? new Map<string, number>();
      if (!byRow.has(row)) order.set(column, [...(order.get(column) ?? []), row]);
      byRow.set(row, Number(number));
      cells.set(column, byRow);
    }
  }
  return {
    rows: (column) => order.get(column) ?? [],
    figure: (row, column) => cells.get(column)?.get(row),
  };
}

/**
 * The median of one cell over several runs (runs without it are left out; NaN when none has it).
 *
 * @example
 * medianOf([run1, run2, run3], "1–40", "added p50"); // 1.02
 */
export function medianOf(runs: readonly TableFigures[], row: string, column: string): number {
  const values = runs
    .map((run) => run.figure(row, column))
    .filter((value): value is number => value !== undefined)
    .sort((a, b) => a - b);
  if (values.length === 0) return Number.NaN;
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}
