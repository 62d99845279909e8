/**
 * The peers' way of fitting a window, for the context benches to measure anyclaude's trim
 * against: keep the preamble, drop the oldest exchanges (pairs whole) until the prompt fits.
 * Once the window is full it drops something every turn, so the prompt after the system
 * prompt changes every turn and an engine's prefix cache cannot hold it.
 */
import { countRequestTokens, type TokenCounter } from "../src/context/token-counter";
import type { MessageCreateParams } from "../src/protocol/anthropic/messages";

/**
 * @example
 * slideNaiveWindow(request, counter, 24_576).messages; // the newest messages that fit
 */
export function slideNaiveWindow(request: MessageCreateParams, counter: TokenCounter, budget: number): MessageCreateParams {
  let messages = request.messages;
  while (countRequestTokens({ ...request, messages }, counter) > budget && messages.length > 2) messages = messages.slice(2);
  return { ...request, messages };
}
