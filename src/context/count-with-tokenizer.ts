/**
 * A token counter that answers with the engine's own tokenizer: before the (synchronous) planner
 * runs, the request's system prompt, tool definitions and messages not counted before are sent to
 * the injected tokenizer, and the counts kept in a memo of the target's, so a turn costs only its
 * new messages. What was not tokenized (the trim's marker, shortened results) is estimated.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam, ToolParam } from "../protocol/anthropic/messages";
import { DEFAULT_TOKEN_ESTIMATE_CALIBRATION as FRAMING } from "./estimate-tokens";
import type { TokenCounter, TokenCountMemo } from "./token-counter";

/** The engine's tokenizer, handed in: one count per text, or undefined when the engine has none. */
export interface TextTokenizer {
  count(texts: readonly string[], signal: AbortSignal): Promise<number[] | undefined>;
}

/**
 * The counter, or undefined when the tokenizer has none to offer (the caller estimates). The
 * chat template's framing (role markers, tool-call wrappers) is added as the estimate adds it.
 *
 * @example
 * const counter = await countWithTokenizer(request, tokenizer, state.engineCounts("llama/qwen3"), estimate, signal);
 * counter?.countMessage(request.messages[0]); // the engine's count of its text, plus framing
 */
export async function countWithTokenizer(
  request: Pick<MessageCreateParams, "system" | "tools" | "messages">,
  tokenizer: TextTokenizer,
  memo: TokenCountMemo,
  fallback: TokenCounter,
  signal: AbortSignal,
): Promise<TokenCounter | undefined> {
  const counted = new Map<unknown, number>();
  const parts: Array<{ key: unknown; text: string; framing: number }> = [];
  const want = (key: unknown, render: () => { text: string; framing: number }) => {
    const known = memo.get(key);
    if (known !== undefined) counted.set(key, known);
    else if (key !== undefined && !counted.has(key)) parts.push({ key, ...render() });
  };
  want(request.system, () => renderSystem(request.system));
  if (request.tools !== undefined && request.tools.length > 0) want(request.tools, () => renderTools(request.tools));
  for (const message of request.messages) want(message, () => renderMessage(message));
  if (parts.length > 0) {
    const tokens = await tokenizer.count(
      parts.map((part) => part.text),
      signal,
    );
    if (tokens === undefined) return undefined;
    parts.forEach((part, index) => {
      const total = part.framing + tokens[index]!;
      counted.set(part.key, total);
      memo.set(part.key, total);
    });
  }
  const recall = <T>(key: T, estimate: (value: T) => number) => counted.get(key) ?? estimate(key);
  return {
    countMessage: (message) => recall(message, fallback.countMessage),
    countSystem: (system) => (system === undefined ? 0 : recall(system, fallback.countSystem)),
    countTools: (tools) => (tools === undefined || tools.length === 0 ? 0 : recall(tools, fallback.countTools)),
  };
}

function renderSystem(system: MessageCreateParams["system"]): { text: string; framing: number } {
  const text = typeof system === "string" ? system : (system ?? []).map((block) => block.text).join("\n");
  return { text, framing: FRAMING.perMessage };
}

function renderTools(tools: ToolParam[] | undefined): { text: string; framing: number } {
  return { text: JSON.stringify(tools ?? []), framing: (tools?.length ?? 0) * FRAMING.perTool };
}

/** The message's text as a template would write it, and the framing around it. */
function renderMessage(message: MessageParam): { text: string; framing: number } {
  if (typeof message.content === "string") return { text: message.content, framing: FRAMING.perMessage };
  let framing = FRAMING.perMessage;
  const texts: string[] = [];
  const add = (block: ContentBlockParam): void => {
    switch (block.type) {
      case "text":
        texts.push(block.text);
        return;
      case "thinking":
        texts.push(block.thinking);
        return;
      case "image":
        framing += FRAMING.perImage;
        return;
      case "tool_use":
        framing += FRAMING.perToolBlock;
        texts.push(block.name, JSON.stringify(block.input ?? {}));
        return;
      case "tool_result":
        framing += FRAMING.perToolBlock;
        if (typeof block.content === "string") texts.push(block.content);
        else for (const part of block.content ?? []) add(part as ContentBlockParam);
        return;
      case "redacted_thinking":
        return;
      default:
        texts.push(JSON.stringify(block));
    }
  };
  for (const block of message.content) add(block);
  return { text: texts.join("\n"), framing };
}
