/**
 * For `compress`: the dropped turns summarized by an injected summarizer, cut by cut, each
 * summary continuing the one before. A memo owned by the caller keeps every summary until the
 * next cut, and its store (the SQLite file) across restarts, so the prefix (and the engine's KV
 * cache) stays the same from turn to turn.
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
  /** Who writes the summaries (`backendId/model`): part of their key, since another model writes another summary. */
  readonly id: string;
  summarize(input: SummaryInput, signal: AbortSignal): Promise<string>;
}

/** Where summaries outlive the process, handed in (the SQLite store); failures are the caller's to report. */
export interface SummaryStore {
  find(key: string): Promise<string | undefined>;
  put(key: string, summarizer: string, summary: string): Promise<void>;
}

/** Summaries by what they summarize, in memory (the oldest go beyond `capacity`) and in the store. */
export class SummaryMemo {
  readonly #summaries = new Map<string, string>();

  constructor(
    readonly capacity = 256,
    private readonly store?: SummaryStore,
  ) {}

  async recall(key: string, summarizer: string, summarize: () => Promise<string>): Promise<string> {
    const known = this.#summaries.get(key) ?? (await this.store?.find(key));
    if (known !== undefined) return this.#keep(key, known);
    const summary = await summarize();
    await this.store?.put(key, summarizer, summary);
    return this.#keep(key, summary);
  }

  #keep(key: string, summary: string): string {
    this.#summaries.delete(key);
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
      .update(`${summarizer.id}\n${maxTokens}\n${previousSummary ?? ""}\n${JSON.stringify(span)}`)
      .digest("base64url");
    summary = await memo.recall(key, summarizer.id, () => summarizer.summarize({ previousSummary, messages: span, maxTokens }, signal));
    from = cut;
  }
  return summary;
}
