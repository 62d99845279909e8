/**
 * Counts one answer's tool calls for /metrics and its log line: the calls sent to the client, by
 * tool, read from what actually went out (either backend mode, or a cache replay, labelled
 * `source="cache"`), and what was done to them, read from the tool-call warnings
 * (src/translate/tool-call-gate.ts); a replay has none, they were counted when the answer was made.
 */
import type { Metrics } from "../metrics/metrics";
import type { Message } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { TOOL_CALL_WARNINGS } from "../translate/tool-call-gate";
import type { TranslationWarning } from "../translate/translation-warning";

export interface ToolCallRecorder {
  onWarning(warning: TranslationWarning): void;
  onEvent(event: MessageStreamEvent): void;
  onMessage(message: Message): void;
  /** For the log line: `tools=Bash,Read` and `toolFixes=coerced:1,text-form:2`, absent when there were none. */
  summary(): { tools?: string; toolFixes?: string };
  /** Calls the answer made of the client's tools. */
  count(): number;
}

/**
 * @example
 * const toolCalls = recordToolCalls(services.metrics, "engine");
 * toolCalls.onMessage(message);
 * logger.info("messages", { ...toolCalls.summary() });
 */
export function recordToolCalls(metrics: Metrics, source: "engine" | "cache"): ToolCallRecorder {
  const tools: string[] = [];
  const fixes = new Map<string, number>();
  const recordCall = (tool: string) => {
    tools.push(tool);
    metrics.toolCalls.inc({ tool, source });
  };
  return {
    onWarning(warning) {
      const kind = TOOL_CALL_WARNINGS[warning.code as keyof typeof TOOL_CALL_WARNINGS];
      if (kind === undefined) return;
      metrics.toolCallFixes.inc({ kind });
      fixes.set(kind, (fixes.get(kind) ?? 0) + 1);
    },
    onEvent(event) {
      if (event.type === "content_block_start" && event.content_block.type === "tool_use") recordCall(event.content_block.name);
    },
    onMessage(message) {
      for (const block of message.content) if (block.type === "tool_use") recordCall(block.name);
    },
    count: () => tools.length,
    summary() {
      const toolFixes = [...fixes].map(([kind, count]) => `${kind}:${count}`).join(",");
      return { tools: tools.length > 0 ? tools.join(",") : undefined, toolFixes: toolFixes === "" ? undefined : toolFixes };
    },
  };
}
