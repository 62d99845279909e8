/**
 * An engine that cuts a prompt without saying so (Ollama's OpenAI-compatible endpoint keeps the
 * tail that fits its num_ctx) shows it only in its usage: far fewer prompt tokens than were sent.
 * Pure: anyclaude's count and the engine's report in, a warning out.
 */
import type { Usage } from "../protocol/anthropic/messages";
import type { TranslationWarning } from "../translate/translation-warning";

/** Below this share of anyclaude's count the difference is no tokenizer's: the engine dropped part of the prompt. */
const TRUNCATED_SHARE = 0.5;
/** Short prompts are left alone: framing and tokenizer differences dominate them. */
const MIN_COUNTED_TOKENS = 1_024;

/**
 * The warning when the engine reported (input + cached) under half the tokens anyclaude counted.
 *
 * @example
 * detectSilentTruncation(44_000, { input_tokens: 4_096, cache_read_input_tokens: 0 });
 * // => { code: "prompt-truncated", path: "messages", message: "the engine reported 4096 prompt tokens for a prompt anyclaude counted at 44000: ..." }
 */
export function detectSilentTruncation(
  countedTokens: number,
  usage: Partial<Pick<Usage, "input_tokens" | "cache_read_input_tokens" | "cache_creation_input_tokens">> | undefined,
): TranslationWarning | undefined {
  if (usage?.input_tokens === undefined || countedTokens < MIN_COUNTED_TOKENS) return undefined;
  const reported = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  // Zero is no report at all (an engine that sends no usage gets anyclaude's own estimate instead).
  if (reported === 0 || reported >= countedTokens * TRUNCATED_SHARE) return undefined;
  return {
    code: "prompt-truncated",
    path: "messages",
    message: `the engine reported ${reported} prompt tokens for a prompt anyclaude counted at ${countedTokens}: it probably cut the prompt to a smaller window than it lists (Ollama: raise num_ctx)`,
  };
}
