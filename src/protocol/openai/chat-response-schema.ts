/**
 * Runtime schemas for what OpenAI-compatible engines send back. They check only what anyclaude
 * reads and tolerate every extra field, because each engine adds its own (`timings`, `cache_n`,
 * `reasoning`, `system_fingerprint`...). Types are derived from the schemas.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Optional(t.Union([schema, t.Null()]));

const ChatUsageSchema = t.Object({
  prompt_tokens: t.Optional(t.Number()),
  completion_tokens: t.Optional(t.Number()),
  total_tokens: t.Optional(t.Number()),
  prompt_tokens_details: Nullable(t.Object({ cached_tokens: Nullable(t.Number()) })),
});
export type ChatUsage = Static<typeof ChatUsageSchema>;

/** llama-server's extra per-response timing block; `cache_n` counts prompt tokens reused from KV cache. */
export const LlamaTimingsSchema = t.Object({
  cache_n: t.Optional(t.Number()),
  prompt_n: t.Optional(t.Number()),
  predicted_n: t.Optional(t.Number()),
});

const ToolCallSchema = t.Object({
  id: Nullable(t.String()),
  type: Nullable(t.String()),
  function: t.Object({
    name: Nullable(t.String()),
    arguments: Nullable(t.String()),
  }),
});

const ChatCompletionSchema = t.Object({
  id: t.Optional(t.String()),
  model: t.Optional(t.String()),
  choices: t.Array(
    t.Object({
      index: t.Optional(t.Number()),
      message: t.Object({
        role: t.Optional(t.String()),
        content: Nullable(t.String()),
        reasoning_content: Nullable(t.String()),
        reasoning: Nullable(t.String()),
        tool_calls: Nullable(t.Array(ToolCallSchema)),
      }),
      finish_reason: Nullable(t.String()),
      /** vLLM reports which stop string ended generation. */
      stop_reason: Nullable(t.Union([t.String(), t.Number()])),
    }),
  ),
  usage: Nullable(ChatUsageSchema),
  timings: t.Optional(LlamaTimingsSchema),
});
export type ChatCompletion = Static<typeof ChatCompletionSchema>;

const ToolCallDeltaSchema = t.Object({
  index: t.Optional(t.Number()),
  id: Nullable(t.String()),
  type: Nullable(t.String()),
  function: t.Optional(
    t.Object({
      name: Nullable(t.String()),
      arguments: Nullable(t.String()),
    }),
  ),
});
export type ChatToolCallDelta = Static<typeof ToolCallDeltaSchema>;

const ChatCompletionChunkSchema = t.Object({
  id: t.Optional(t.String()),
  model: t.Optional(t.String()),
  choices: t.Array(
    t.Object({
      index: t.Optional(t.Number()),
      delta: t.Optional(
        t.Object({
          role: Nullable(t.String()),
          content: Nullable(t.String()),
          reasoning_content: Nullable(t.String()),
          reasoning: Nullable(t.String()),
          tool_calls: Nullable(t.Array(ToolCallDeltaSchema)),
        }),
      ),
      finish_reason: Nullable(t.String()),
      stop_reason: Nullable(t.Union([t.String(), t.Number()])),
    }),
  ),
  usage: Nullable(ChatUsageSchema),
  timings: t.Optional(LlamaTimingsSchema),
});
export type ChatCompletionChunk = Static<typeof ChatCompletionChunkSchema>;

export const checkChatCompletion = TypeCompiler.Compile(ChatCompletionSchema);
export const checkChatCompletionChunk = TypeCompiler.Compile(ChatCompletionChunkSchema);
