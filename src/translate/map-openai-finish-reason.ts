/**
 * Maps an OpenAI `finish_reason` (plus what the converter saw in the answer) to Anthropic's
 * `stop_reason` / `stop_sequence` pair, which Claude Code reads to decide whether to run tools.
 */
import type { StopReason } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface FinishReasonContext {
  /** True when the answer holds at least one tool_use block. */
  hadToolCalls: boolean;
  /**
   * What the engine reported as the matched stop: vLLM puts the stop string in `stop_reason`
   * (a number there is a stop token id, not a string the client asked for).
   */
  stopSequence?: string | number | null;
  /**
   * The request's `stop_sequences`. Anthropic only ever reports one of these, so a stop string
   * the client did not ask for (a server-side default) reads as a natural end.
   */
  requestedStopSequences?: readonly string[];
}

export interface MappedStop {
  stopReason: StopReason;
  stopSequence: string | null;
}

/**
 * @example
 * mapOpenAIFinishReason("stop", { hadToolCalls: true }).value; // { stopReason: "tool_use", stopSequence: null }
 * mapOpenAIFinishReason("stop", { hadToolCalls: false, stopSequence: "END" }).value.stopReason; // "stop_sequence"
 */
export function mapOpenAIFinishReason(finishReason: string | null | undefined, context: FinishReasonContext): Translated<MappedStop> {
  const warnings: TranslationWarning[] = [];
  const reported = typeof context.stopSequence === "string" ? context.stopSequence : null;
  const requested = context.requestedStopSequences;
  const matched = reported !== null && (requested === undefined || requested.includes(reported)) ? reported : null;
  const stop = (stopReason: StopReason, stopSequence: string | null = null) => ({
    value: { stopReason, stopSequence },
    warnings,
  });

  switch (finishReason) {
    case "stop":
      // Some engines (Ollama, older llama-server builds) say "stop" after emitting tool calls.
      if (context.hadToolCalls) return stop("tool_use");
      return matched === null ? stop("end_turn") : stop("stop_sequence", matched);
    case "length":
      return stop("max_tokens");
    case "tool_calls":
    case "function_call":
      if (context.hadToolCalls) return stop("tool_use");
      warnings.push({
        code: "tool-calls-finish-without-calls",
        path: "choices[0].finish_reason",
        message: `finish_reason "${finishReason}" but the engine sent no tool call; reported as end_turn`,
      });
      return stop("end_turn");
    case "content_filter":
      return stop("refusal");
    default: {
      // Tool calls already sent are still worth running; otherwise assume a normal end.
      const fallback: StopReason = context.hadToolCalls ? "tool_use" : "end_turn";
      const seen = finishReason == null ? "no finish_reason" : `unknown finish_reason "${finishReason}"`;
      warnings.push({
        code: "unknown-finish-reason",
        path: "choices[0].finish_reason",
        message: `the engine ended with ${seen}; reported as ${fallback}`,
      });
      return stop(fallback);
    }
  }
}
