/**
 * Memoizes a pure function of a list whose items are frozen, by the items' identity: the list
 * itself is new on every request (built by normalization), its items are the shared frozen
 * values of ReusingJsonParser. Claude Code's system prompt, for one, arrives as the same frozen
 * blocks every turn, in a new array.
 */
import { deepFreeze } from "./deep-freeze";

/** Lists remembered at once: Claude Code's main loop and its subagents each have their own. */
const REMEMBERED_LISTS = 4;

/**
 * A call whose list holds the same frozen items, in the same order, as one of the last few calls
 * gets that call's (deep-frozen) result; a list with any unfrozen item is computed afresh,
 * exactly as without the memo.
 *
 * @example
 * const join = memoizeFrozenList((blocks: TextBlockParam[]) => blocks.map((block) => block.text).join("\n"));
 * join([a, b]) === join([a, b]); // the same string, computed once, when a and b are frozen
 */
export function memoizeFrozenList<Item, Result>(compute: (items: readonly Item[]) => Result): (items: readonly Item[]) => Result {
  let remembered: Array<{ items: readonly Item[]; result: Result }> = [];
  return (items: readonly Item[]): Result => {
    if (!items.every((item) => typeof item === "object" && item !== null && Object.isFrozen(item))) return compute(items);
    const known = remembered.find(
      (entry) => entry.items.length === items.length && entry.items.every((item, index) => item === items[index]),
    );
    if (known !== undefined) return known.result;
    const result = deepFreeze(compute(items));
    remembered = [{ items: [...items], result }, ...remembered].slice(0, REMEMBERED_LISTS);
    return result;
  };
}
