/** Reads the length of a stats window as people write it: `15m`, `1h`, `24h`, `7d`. */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest window asked for: beyond it the per-minute totals may already be gone (history.maxAgeDays). */
export const MAX_STATS_WINDOW_MS = 30 * UNIT_MS.d;

/** What a window must look like; the API states it in the OpenAPI document. */
export const STATS_WINDOW_PATTERN = "^[1-9][0-9]{0,4}[mhd]$";

/**
 * Milliseconds, or undefined for text that is not a window of 1 minute to 30 days.
 *
 * @example
 * parseStatsWindow("1h"); // 3_600_000
 * parseStatsWindow("90d"); // undefined
 */
export function parseStatsWindow(text: string): number | undefined {
  if (!new RegExp(STATS_WINDOW_PATTERN).test(text)) return undefined;
  const ms = Number(text.slice(0, -1)) * UNIT_MS[text.at(-1) as keyof typeof UNIT_MS];
  return ms <= MAX_STATS_WINDOW_MS ? ms : undefined;
}
