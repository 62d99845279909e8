/**
 * How the context planner counts tokens, injected so that it never depends on a backend: the
 * calibrated estimate (estimate-tokens.ts) or, later, counts filled in from the engine's own
 * tokenizer. A request's tokens are its preamble (system prompt, tool definitions) plus each message.
 */
import type { MessageCreateParams, MessageParam, ToolParam } from "../protocol/anthropic/messages";

export interface TokenCounter {
  /** Tokens one message takes in the prompt, its chat-template framing included. */
  countMessage(message: MessageParam): number;
  /** Tokens the system prompt takes (zero when there is none). */
  countSystem(system: MessageCreateParams["system"]): number;
  /** Tokens the tool definitions take (zero when there are none). */
  countTools(tools: ToolParam[] | undefined): number;
}

/**
 * Counts already made, by the object counted. One memo belongs to one counter and lives as long
 * as whoever creates it wants (the server keeps one per counter across requests): Claude Code
 * resends its earlier messages as the same frozen objects, so a turn costs only its new part.
 * Only frozen objects are remembered; anything else could change after it was counted.
 */
export class TokenCountMemo {
  readonly #counts = new WeakMap<object, number>();

  /** The remembered count of `value`, if any. */
  get(value: unknown): number | undefined {
    return typeof value === "object" && value !== null ? this.#counts.get(value) : undefined;
  }

  /** Remembers `count` for `value` when it is frozen (anything else could change after it was counted). */
  set(value: unknown, count: number): void {
    if (typeof value === "object" && value !== null && Object.isFrozen(value)) this.#counts.set(value, count);
  }

  /** The remembered count of `value`, or `count()` (remembered when `value` is frozen). */
  recall(value: unknown, count: () => number): number {
    if (typeof value !== "object" || value === null || !Object.isFrozen(value)) return count();
    const known = this.#counts.get(value);
    if (known !== undefined) return known;
    const counted = count();
    this.#counts.set(value, counted);
    return counted;
  }
}

/**
 * The same counter, answering from `memo` what it counted before.
 *
 * @example
 * const counter = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
 * counter.countMessage(frozenMessage); // counted once, then recalled
 */
export function memoizeTokenCounter(counter: TokenCounter, memo: TokenCountMemo): TokenCounter {
  return {
    countMessage: (message) => memo.recall(message, () => counter.countMessage(message)),
    countSystem: (system) => memo.recall(system, () => counter.countSystem(system)),
    countTools: (tools) => memo.recall(tools, () => counter.countTools(tools)),
  };
}

/**
 * The tokens of a whole request's prompt.
 *
 * @example
 * countRequestTokens({ system: "Be brief.", messages: [{ role: "user", content: "hi" }] }, counter);
 */
export function countRequestTokens(request: Pick<MessageCreateParams, "system" | "tools" | "messages">, counter: TokenCounter): number {
  let tokens = counter.countSystem(request.system) + counter.countTools(request.tools);
  for (const message of request.messages) tokens += counter.countMessage(message);
  return tokens;
}
