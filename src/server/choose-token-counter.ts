/**
 * The counter an attempt's context step plans with: the target engine's own tokenizer where it
 * has one (llama-server, vLLM), its counts remembered per message in ContextState; else, or when
 * the engine fails to count, the calibrated estimate, with a warning that says why. A prompt the
 * estimate puts under half the input budget is not sent to be counted: no count could change
 * what the step does with it (the estimate errs high, by 11-15 % on Qwen3's tokenizer), and
 * asking would cost every such turn a round trip to the engine.
 */
import type { Backend } from "../backends/backend";
import { hasTokenizer } from "../backends/count-text-tokens";
import type { ContextState } from "../context/context-state";
import { countWithTokenizer } from "../context/count-with-tokenizer";
import { countRequestTokens, type TokenCounter } from "../context/token-counter";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { TranslationWarning } from "../translate/translation-warning";

/** Share of the input budget from which, by the estimate, the engine counts the prompt. */
const ENGINE_COUNTS_FROM = 0.5;

export interface CountingTarget {
  backend: Backend;
  model: string;
  /** The prompt's token budget on this target (the window less the output reserve). */
  budgetTokens: number;
}

/**
 * @example
 * const counter = await chooseTokenCounter(services.context, request, { backend, model: "qwen3", budgetTokens: 12_288 }, signal, onWarning);
 */
export async function chooseTokenCounter(
  state: ContextState,
  request: MessageCreateParams,
  { backend, model, budgetTokens }: CountingTarget,
  signal: AbortSignal,
  onWarning: (warning: TranslationWarning) => void,
): Promise<TokenCounter> {
  if (!hasTokenizer(backend.kind)) return state.counter;
  if (countRequestTokens(request, state.counter) < budgetTokens * ENGINE_COUNTS_FROM) return state.counter;
  const tokenizer = { count: (texts: readonly string[], signal: AbortSignal) => backend.countTextTokens(texts, model, signal) };
  try {
    const counter = await countWithTokenizer(request, tokenizer, state.engineCounts(`${backend.id}/${model}`), state.counter, signal);
    return counter ?? state.counter;
  } catch (error) {
    if (signal.aborted) throw error;
    onWarning({
      code: "token-count-estimated",
      path: "messages",
      message: `${backend.id} could not count the prompt's tokens, so they are estimated: ${(error as Error).message}`,
    });
    return state.counter;
  }
}
