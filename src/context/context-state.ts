/**
 * What the context step remembers between requests, owned by the server (no module state):
 * token counts per frozen message, and the summaries `compress` wrote, by the span they cover.
 */
import { createEstimatingTokenCounter } from "./estimate-tokens";
import { SummaryMemo } from "./summarize-left-out-turns";
import { memoizeTokenCounter, type TokenCounter, TokenCountMemo } from "./token-counter";

export class ContextState {
  /** The calibrated estimate, answering from its memo what it counted before. */
  readonly counter: TokenCounter;
  readonly summaries: SummaryMemo;

  constructor(counter: TokenCounter = createEstimatingTokenCounter()) {
    this.counter = memoizeTokenCounter(counter, new TokenCountMemo());
    this.summaries = new SummaryMemo();
  }
}
