/**
 * The trim plan: which oldest turns to drop and which old tool results to shorten so that the
 * prompt fits its budget. Cuts go down to a low-water mark, so the next turns append to an
 * unchanged prefix (the engine's KV cache stays warm), and the plan is a function of the history
 * alone: the conversation is replayed request by request, cutting where each request overflowed.
 */
import type { MessageParam } from "../protocol/anthropic/messages";
import { findCutPoints } from "./find-cut-points";
import { estimateShortenedTokens, type ResultLimits } from "./shorten-oversized-results";
import type { TokenCounter } from "./token-counter";

export interface TrimSettings {
  /** Tokens the prompt may take. */
  budget: number;
  /** Fraction of the budget a cut goes down to. */
  lowWater: number;
  /** The latest assistant turns whose tool results stay whole (Claude Code's Edit needs the exact text just read). */
  recentTurns: number;
  /** Room kept for what replaces the dropped turns: the marker, or the summary. */
  markerTokens: number;
  /** Tokens of the system prompt and tool definitions. */
  preambleTokens: number;
}

export interface TrimPlan {
  /** Messages always kept at the start (through the task). */
  headLength: number;
  /** messages[headLength, cut) are dropped; cut === headLength drops nothing. */
  cut: number;
  /** Tool results of messages before this index are shortened by `limits.old`. */
  shortenBefore: number;
  /** Tool results of messages before this index (and from shortenBefore on) are shortened by `limits.recent`. */
  squeezeBefore: number;
  limits: { old: ResultLimits; recent: ResultLimits };
  /** Each cut that moved, oldest first: a summary of the dropped span can be built cut by cut. */
  cutEvents: Array<{ at: number; cut: number }>;
  /** The prompt's tokens after the plan, estimated: the marker as `markerTokens`, shortened results by estimateShortenedTokens. */
  promptTokens: number;
  fits: boolean;
}

/**
 * Old tool results are held to an eighth of the budget; the latest ones stay whole unless even
 * the last turn alone would not fit under the low-water mark, and are then held to a quarter.
 */
function computeResultLimits(budget: number): TrimPlan["limits"] {
  return {
    old: { maxTokens: Math.floor(budget / 8), keepTokens: Math.floor(budget / 16) },
    recent: { maxTokens: Math.floor(budget / 4), keepTokens: Math.floor(budget / 8) },
  };
}

/** Which limits apply to messages[index] under `plan`, if any. */
export function resultLimitsAt(
  plan: Pick<TrimPlan, "shortenBefore" | "squeezeBefore" | "limits">,
  index: number,
): ResultLimits | undefined {
  if (index < plan.shortenBefore) return plan.limits.old;
  return index < plan.squeezeBefore ? plan.limits.recent : undefined;
}

/**
 * @example
 * const plan = planContextTrim(request.messages, counter, { budget: 12_288, lowWater: 0.65, recentTurns: 2, markerTokens: 256, preambleTokens: 9_800 });
 * plan.fits; // false when even the task and the last turn cannot fit
 */
export function planContextTrim(messages: readonly MessageParam[], counter: TokenCounter, settings: TrimSettings): TrimPlan {
  const { headLength, cuts, requestEnds } = findCutPoints(messages);
  const limits = computeResultLimits(settings.budget);
  const full = messages.map((message) => counter.countMessage(message));
  const state = { cut: headLength, shortenBefore: headLength, squeezeBefore: headLength, limits };
  const costOf = (i: number) => {
    const zone = i < state.shortenBefore ? "old" : i < state.squeezeBefore ? "recent" : undefined;
    return zone === undefined ? full[i]! : estimateShortenedTokens(messages[i]!, full[i]!, limits[zone]);
  };
  const assistants = messages.flatMap((message, index) => (message.role === "assistant" ? [index] : []));
  const recentStart = (end: number) => {
    const before = assistants.filter((index) => index <= end);
    return settings.recentTurns === 0 ? end + 1 : (before.at(-settings.recentTurns) ?? headLength);
  };
  let headTokens = settings.preambleTokens;
  for (let i = 0; i < headLength; i++) headTokens += full[i]!;
  const tally = (from: number, end: number) => {
    let tokens = headTokens + (from > headLength ? settings.markerTokens : 0);
    for (let i = from; i <= end; i++) tokens += costOf(i);
    return tokens;
  };

  let cutIndex = 0;
  let total = headTokens;
  let end = headLength - 1;
  const cutEvents: TrimPlan["cutEvents"] = [];
  const ends = requestEnds.at(-1) === messages.length - 1 ? requestEnds : [...requestEnds, messages.length - 1];
  for (const requestEnd of ends) {
    for (let i = end + 1; i <= requestEnd; i++) total += costOf(i);
    end = requestEnd;
    if (total <= settings.budget) continue;
    const lowWater = Math.floor(settings.budget * settings.lowWater);
    state.shortenBefore = Math.max(state.shortenBefore, recentStart(end));
    state.squeezeBefore = Math.max(state.squeezeBefore, state.shortenBefore);
    // When even the head and the last turn would not come under the low-water mark, the
    // latest results are held to the looser limit too, rather than every older turn dropped for nothing.
    const lastCut = cuts.findLast((c) => c < end) ?? state.cut;
    if (tally(Math.max(lastCut, headLength + 1), end) > lowWater) state.squeezeBefore = end + 1;
    total = tally(state.cut, end);
    while (total > lowWater && cutIndex + 1 < cuts.length && cuts[cutIndex + 1]! < end) {
      const next = cuts[++cutIndex]!;
      if (state.cut === headLength) total += settings.markerTokens;
      for (let i = state.cut; i < next; i++) total -= costOf(i);
      state.cut = next;
    }
    if (state.cut !== (cutEvents.at(-1)?.cut ?? headLength)) cutEvents.push({ at: end, cut: state.cut });
  }
  return { headLength, ...state, cutEvents, promptTokens: total, fits: total <= settings.budget };
}
