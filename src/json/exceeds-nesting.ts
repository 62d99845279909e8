/**
 * Whether a parsed JSON value nests deeper than a limit. Bodies are checked before any other
 * work so that a pathological one is refused with a 400 rather than overflowing the stack of
 * a later recursive step.
 */

/**
 * Iterative (it cannot overflow itself) and allocation-light: two parallel stacks and `for…in`.
 * Frozen values are skipped: they come from ReusingJsonParser, which freezes only values that
 * passed this check at the same place in an earlier body.
 *
 * @example
 * exceedsNesting(JSON.parse("[[[1]]]"), 2); // true
 */
export function exceedsNesting(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== "object" || value === null || Object.isFrozen(value)) continue;
    if (depth >= limit) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
    } else {
      for (const key in value) {
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
