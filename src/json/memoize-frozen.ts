/**
 * Memoizes a pure one-argument function for frozen arguments. The large parts of a Claude Code
 * request (its tool definitions) arrive as the same frozen object on every turn (see
 * ReusingJsonParser); whatever is derived from them (conversions, estimates, their JSON) is
 * then computed once per distinct value instead of once per request.
 */
import { deepFreeze } from "./deep-freeze";

/**
 * Results for frozen arguments are kept in a WeakMap (they go when the argument goes) and are
 * themselves deep-frozen, so that a chain of memoized functions hits at every step and no caller
 * can change a result another request will get. Arguments that are not frozen are computed
 * afresh every time, exactly as without the memo.
 *
 * @example
 * const convert = memoizeFrozen(convertAnthropicToolsToOpenAI);
 * convert(tools) === convert(tools); // true when `tools` is frozen
 */
export function memoizeFrozen<Argument, Result>(compute: (argument: Argument) => Result): (argument: Argument) => Result {
  const results = new WeakMap<object, Result>();
  return (argument: Argument): Result => {
    if (typeof argument !== "object" || argument === null || !Object.isFrozen(argument)) return compute(argument);
    const known = results.get(argument);
    if (known !== undefined) return known;
    const result = deepFreeze(compute(argument));
    results.set(argument, result);
    return result;
  };
}
