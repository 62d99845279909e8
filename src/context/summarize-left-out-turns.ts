/**
 * For `compress`: the dropped turns summarized by an injected summarizer, cut by cut, each
 * summary continuing the one before. A memo owned by the caller keeps every summary until the
 * next cut, so the prefix (and the engine's KV cache) stays the same from turn to turn.
 */
import { createHash } from "node:crypto";
import type { MessageParam } from "../protocol/anthropic/messages";
import type { TrimPlan } from "./plan-context-trim";

export interface SummaryInput {
  /** The summary of the turns before these, which the new one must carry on. */
  previousSummary: string | undefined;
  messages: readonly MessageParam[];
  /** Longest summary the plan has room for. */
  maxTokens: number;
}

export interface Summarizer {
  summarize(input: SummaryInput, signal: AbortSignal): Promise<string>;
}

/** Summaries by what they summarize; the oldest go beyond `capacity`. */
export class SummaryMemo {
  readonly #summaries = new Map<string, string>();

  constructor(readonly capacity = 256) {}

  async recall(key: string, summarize: () => Promise<string>): Promise<string> {
    const known = this.#summaries.get(key);
    if (known !== undefined) return known;
    const summary = await summarize();
    this.#summaries.set(key, summary);
    if (this.#summaries.size > this.capacity) this.#summaries.delete(this.#summaries.keys().next().value!);
    return summary;
  }
}

/**
 * The summary of messages[plan.headLength, plan.cut), or undefined when nothing was dropped.
 *
 * @example
 * const summary = await summarizeLeftOutTurns(request.messages, fit.plan, summarizer, memo, 2_048, signal);
 */
export async function summarizeLeftOutTurns(
  messages: readonly MessageParam[],
  plan: TrimPlan,
  summarizer: Summarizer,
  memo: SummaryMemo,
  maxTokens: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  let summary: string | undefined;
  let from = plan.headLength;
  for (const { cut } of plan.cutEvents) {
    if (cut > plan.cut) break;
    const span = messages.slice(from, cut);
    const previousSummary = summary;
    const key = createHash("sha256")
      .update(`${maxTokens}\n${previousSummary ?? ""}\n${JSON.stringify(span)}`)
      .digest("base64url");
    summary = await memo.recall(key, () => summarizer.summarize({ previousSummary, messages: span, maxTokens }, signal));
    from = cut;
  }
  return summary;
}
