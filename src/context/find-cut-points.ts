/**
 * Where a conversation can be cut without breaking it: the span dropped always starts right after
 * the task (the first user message) and ends before an assistant message, and holds every
 * `tool_use` together with its `tool_result`. Whole messages go, so thinking stays with its turn.
 */
import type { MessageParam } from "../protocol/anthropic/messages";

export interface CutPoints {
  /** Messages always kept at the start: through the first user message (and any tool results it owes). */
  headLength: number;
  /** Every c for which messages[headLength, c) can be dropped, ascending; headLength (nothing dropped) first. */
  cuts: number[];
  /** The user messages after the head: where each request of the conversation ended, ascending. */
  requestEnds: number[];
}

/**
 * @example
 * findCutPoints([user("task"), assistant(toolUse("a")), user(toolResult("a")), assistant(text), user("next")]);
 * // => { headLength: 1, cuts: [1, 3], requestEnds: [2, 4] }
 */
export function findCutPoints(messages: readonly MessageParam[]): CutPoints {
  const reach = reachOfToolUses(messages);
  let headLength = messages.findIndex((message) => message.role === "user") + 1;
  if (headLength === 0) return { headLength: messages.length, cuts: [messages.length], requestEnds: [] };
  // A conversation that opens with a tool call keeps it and its answer in the head.
  for (let i = 0, owed = 0; i < headLength; i++) {
    owed = Math.max(owed, reach[i]!);
    if (owed >= headLength) headLength = owed + 1;
  }
  const lastUser = messages.findLastIndex((message) => message.role === "user");
  const cuts = [headLength];
  const requestEnds: number[] = [];
  let furthest = -1;
  for (let c = headLength; c < messages.length; c++) {
    if (messages[c]!.role === "user") requestEnds.push(c);
    // The last user message (the turn being asked) and the answer it carries stay.
    if (c > headLength && c < lastUser && messages[c]!.role === "assistant" && furthest < c) cuts.push(c);
    furthest = Math.max(furthest, reach[c]!);
  }
  return { headLength, cuts, requestEnds };
}

/** For each message, the index of the last message answering one of its tool calls (itself if none). */
function reachOfToolUses(messages: readonly MessageParam[]): number[] {
  const answeredAt = new Map<string, number>();
  messages.forEach((message, index) => {
    if (typeof message.content === "string") return;
    for (const block of message.content) if (block.type === "tool_result") answeredAt.set(block.tool_use_id, index);
  });
  return messages.map((message, index) => {
    let reach = index;
    if (typeof message.content === "string") return reach;
    for (const block of message.content) {
      if (block.type === "tool_use") reach = Math.max(reach, answeredAt.get(block.id) ?? index);
    }
    return reach;
  });
}
