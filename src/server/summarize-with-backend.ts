/**
 * The `compress` summarizer: one target (choose-summarizer.ts says which), asked (without streaming) to summarize the
 * turns the trim left out, as a plain transcript cut to what fits half its window.
 */
import type { Backend, CallOptions } from "../backends/backend";
import type { Summarizer, SummaryInput } from "../context/summarize-left-out-turns";
import type { MessageParam } from "../protocol/anthropic/messages";

const INSTRUCTIONS =
  "You summarize the earlier part of a coding session for the assistant that continues it. Keep the user's requests, decisions made, files read or changed with what was learned from them, and open questions. Write plain prose, no preamble.";

/**
 * @example
 * const summarizer = createBackendSummarizer(backend, "qwen3", 16_384, options);
 * await summarizer.summarize({ previousSummary: undefined, messages, maxTokens: 1_024 }, signal);
 */
export function createBackendSummarizer(backend: Backend, model: string, window: number, options: CallOptions): Summarizer {
  return {
    id: `${backend.id}/${model}`,
    async summarize(input: SummaryInput, signal: AbortSignal): Promise<string> {
      // About 3 characters a token, with half the window for the transcript.
      const transcript = renderTranscript(input).slice(-Math.floor(window * 1.5));
      const message = await backend.createMessage(
        {
          model,
          max_tokens: input.maxTokens,
          system: INSTRUCTIONS,
          messages: [{ role: "user", content: transcript }],
        },
        // `options.slot` is the side calls' slot, if any: the conversation's own stays warm.
        { ...options, signal },
      );
      return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    },
  };
}

function renderTranscript(input: SummaryInput): string {
  const lines = input.previousSummary === undefined ? [] : [`Summary so far:\n${input.previousSummary}\n`];
  for (const message of input.messages) lines.push(`${message.role}: ${renderContent(message.content)}`);
  return `${lines.join("\n")}\n\nSummarize the session above.`;
}

function renderContent(content: MessageParam["content"]): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => {
      switch (block.type) {
        case "text":
          return block.text;
        case "tool_use":
          return `[called ${block.name} ${JSON.stringify(block.input)}]`;
        case "tool_result":
          return `[result: ${typeof block.content === "string" ? block.content : JSON.stringify(block.content)}]`;
        default:
          return "";
      }
    })
    .join(" ");
}
