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
  const memoized = memoizeFrozenInContext(
    (argument: Argument) => compute(argument),
    () => true,
  );
  return (argument) => memoized(argument, undefined);
}

/**
 * memoizeFrozen for a function that also takes a context (a message's position, what came
 * before it): the last result per frozen argument is reused while `sameContext` says the
 * context is the same. Claude Code's earlier messages keep their place and their neighbours
 * from turn to turn, so each is converted once per conversation.
 *
 * @example
 * const convert = memoizeFrozenInContext(convertAssistant, (a: string, b: string) => a === b);
 * convert(message, "messages[3]") === convert(message, "messages[3]"); // true when `message` is frozen
 */
export function memoizeFrozenInContext<Argument, Context, Result>(
  compute: (argument: Argument, context: Context) => Result,
  sameContext: (a: Context, b: Context) => boolean,
): (argument: Argument, context: Context) => Result {
  const results = new WeakMap<object, { context: Context; result: Result }>();
  return (argument: Argument, context: Context): Result => {
    if (typeof argument !== "object" || argument === null || !Object.isFrozen(argument)) return compute(argument, context);
    const known = results.get(argument);
    if (known !== undefined && sameContext(known.context, context)) return known.result;
    const result = deepFreeze(compute(argument, context));
    results.set(argument, { context, result });
    return result;
  };
}
