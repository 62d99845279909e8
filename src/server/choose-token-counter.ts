/**
 * The counter an attempt's context step plans with: the target engine's own tokenizer where it
 * has one (llama-server, vLLM), its counts remembered per message in ContextState; else, or when
 * the engine fails to count, the calibrated estimate, with a warning that says why.
 */
import type { Backend } from "../backends/backend";
import { hasTokenizer } from "../backends/count-text-tokens";
import type { ContextState } from "../context/context-state";
import { countWithTokenizer } from "../context/count-with-tokenizer";
import type { TokenCounter } from "../context/token-counter";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { TranslationWarning } from "../translate/translation-warning";

/**
 * @example
 * const counter = await chooseTokenCounter(services.context, request, backend, "qwen3", signal, onWarning);
 */
export async function chooseTokenCounter(
  state: ContextState,
  request: MessageCreateParams,
  backend: Backend,
  model: string,
  signal: AbortSignal,
  onWarning: (warning: TranslationWarning) => void,
): Promise<TokenCounter> {
  if (!hasTokenizer(backend.kind)) return state.counter;
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
