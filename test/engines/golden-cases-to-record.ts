/**
 * The exchanges test/engines/record-golden.ts records from a real llama-server, in the order it
 * sends them. Order matters: each engine keeps one slot, so what a case finds in the prompt
 * cache (`cache_n`) depends on the case before it on the same engine, and a fixed order keeps
 * the recording reproducible.
 */
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import type { TinyModelOutput, TinyModelVariant } from "../support/generate-gguf";

/** Small, so that an overflow case stays a readable file; every other case fits easily. */
export const RECORDING_CTX = 1024;

export interface CaseToRecord {
  name: string;
  variant: TinyModelVariant;
  request: MessageCreateParams;
  /** Send twice and record the second answer (a prompt-cache hit). */
  repeat?: boolean;
}

const SYSTEM = "You are a terse assistant.";
const ASK = "What is the weather in Paris?";
const tools: MessageCreateParams["tools"] = [
  {
    name: "get_weather",
    description: "Current weather for a place",
    input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
  {
    name: "Bash",
    description: "Run a shell command",
    input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
];

/**
 * @example
 * for (const item of goldenCasesToRecord(TinyModelOutput)) await record(item);
 */
export function goldenCasesToRecord(output: typeof TinyModelOutput): CaseToRecord[] {
  const chatty = (stream: boolean, extra: Partial<MessageCreateParams> = {}): MessageCreateParams => ({
    model: "tiny-chatty",
    max_tokens: 256,
    system: SYSTEM,
    messages: [{ role: "user", content: ASK }],
    stream,
    ...extra,
  });
  const toolCaller = (stream: boolean, extra: Partial<MessageCreateParams> = {}): MessageCreateParams => ({
    model: "tiny-tool-caller",
    max_tokens: 256,
    system: SYSTEM,
    messages: [{ role: "user", content: ASK }],
    tools,
    stream,
    ...extra,
  });
  return [
    { name: "llama-server-text-stream", variant: "chatty", request: chatty(true) },
    { name: "llama-server-text-non-stream", variant: "chatty", request: chatty(false) },
    {
      name: "llama-server-prompt-cache-hit-stream",
      variant: "chatty",
      request: chatty(true, { system: `${SYSTEM} Answer in one line.` }),
      repeat: true,
    },
    { name: "llama-server-max-tokens-stream", variant: "chatty", request: chatty(true, { max_tokens: 2 }) },
    {
      name: "llama-server-context-overflow-stream",
      variant: "chatty",
      // About 1,100 tokens with the tiny vocabulary: more than the slot's RECORDING_CTX.
      request: chatty(true, {
        messages: [{ role: "user", content: `Summarize: ${"The quick brown fox jumps over the lazy dog. ".repeat(60)}` }],
      }),
    },
    { name: "llama-server-tool-use-stream", variant: "tool-caller", request: toolCaller(true) },
    { name: "llama-server-tool-use-non-stream", variant: "tool-caller", request: toolCaller(false) },
    {
      name: "llama-server-tool-result-stream",
      variant: "tool-caller",
      request: toolCaller(true, {
        messages: [
          { role: "user", content: ASK },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_01", name: "Bash", input: { command: output.bashCommand } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "hi" }] },
        ],
      }),
    },
  ];
}
