/**
 * What the context step remembers between requests, owned by the server (no module state):
 * token counts per frozen message (estimated, and each target's engine counts), and the
 * summaries `compress` wrote, by the span they cover.
 */
import { createEstimatingTokenCounter } from "./estimate-tokens";
import { SummaryMemo } from "./summarize-left-out-turns";
import { memoizeTokenCounter, type TokenCounter, TokenCountMemo } from "./token-counter";

export class ContextState {
  /** The calibrated estimate, answering from its memo what it counted before. */
  readonly counter: TokenCounter;
  readonly summaries: SummaryMemo;
  /** Counts by each engine's tokenizer, per `backendId/model` (tokenizers differ from model to model). */
  readonly #engineCounts = new Map<string, TokenCountMemo>();

  constructor(counter: TokenCounter = createEstimatingTokenCounter(), summaries: SummaryMemo = new SummaryMemo()) {
    this.counter = memoizeTokenCounter(counter, new TokenCountMemo());
    this.summaries = summaries;
  }

  /** The memo of one target's engine counts. */
  engineCounts(target: string): TokenCountMemo {
    let memo = this.#engineCounts.get(target);
    if (memo === undefined) {
      memo = new TokenCountMemo();
      this.#engineCounts.set(target, memo);
    }
    return memo;
  }
}
