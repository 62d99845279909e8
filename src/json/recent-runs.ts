/**
 * What a step remembers of the last few conversations it saw, each as the run of frozen items
 * (messages) it started with, plus whatever that step derived from them. Claude Code resends a
 * conversation with the same frozen objects at its start (see ReusingJsonParser): the run that
 * starts with the same first item is found, and how far the new items repeat it is a pointer
 * comparison per item. One per conversation: its main loop and each subagent have their own.
 * ConversationMemo holds one of these per step (see findRun).
 */

export interface Run {
  /** Frozen items, compared by identity. */
  items: readonly unknown[];
}

export class RecentRuns<Kept extends Run> {
  private runs: Kept[] = [];

  /** @param size How many conversations are kept, most recent first. */
  constructor(private readonly size = 4) {}

  /**
   * The kept run that starts with the same item as `items`, and how many leading items the two
   * share.
   *
   * @example
   * const { run, shared } = runs.find(request.messages);
   */
  find(items: readonly unknown[]): { run: Kept | undefined; shared: number } {
    const run = items.length === 0 ? undefined : this.runs.find((kept) => kept.items[0] === items[0]);
    if (run === undefined) return { run, shared: 0 };
    const limit = Math.min(run.items.length, items.length);
    let shared = 0;
    while (shared < limit && run.items[shared] === items[shared]) shared++;
    return { run, shared };
  }

  /**
   * Keeps `run` as the most recent, in place of any run that starts with the same item.
   *
   * @example
   * runs.keep({ items: messages.slice(0, frozen), links });
   */
  keep(run: Kept): void {
    this.runs = [run, ...this.runs.filter((kept) => kept !== run && kept.items[0] !== run.items[0])].slice(0, this.size);
  }
}

/**
 * How many items at the start are frozen objects: only those can be trusted to be the same
 * objects, unchanged, next time.
 *
 * @example
 * countFrozenLeading([Object.freeze({}), {}, Object.freeze({})]); // 1
 */
export function countFrozenLeading(items: readonly unknown[]): number {
  let count = 0;
  while (count < items.length && typeof items[count] === "object" && items[count] !== null && Object.isFrozen(items[count])) count++;
  return count;
}
