/**
 * Runtime checks for Anthropic-shaped answers from native backends (llama-server, Ollama,
 * LM Studio, vLLM `/v1/messages`). Tolerant of extra fields; strict on what a client relies on:
 * event `type`s, block indexes, block shapes.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const ContentBlockSchema = t.Union([
  t.Object({ type: t.Literal("text"), text: t.String() }),
  t.Object({ type: t.Literal("tool_use"), id: t.String(), name: t.String(), input: t.Unknown() }),
  t.Object({ type: t.Literal("thinking"), thinking: t.String() }),
  t.Object({ type: t.Literal("redacted_thinking"), data: t.String() }),
]);

/**
 * A block as a stream opens it. llama-server opens a tool_use block without `input` (the input
 * arrives as input_json_delta events); Anthropic sends `input: {}`.
 */
const StartedContentBlockSchema = t.Union([
  t.Object({ type: t.Literal("tool_use"), id: t.String(), name: t.String(), input: t.Optional(t.Unknown()) }),
  ContentBlockSchema,
]);

const UsageSchema = t.Object({
  input_tokens: t.Optional(t.Union([t.Number(), t.Null()])),
  output_tokens: t.Optional(t.Union([t.Number(), t.Null()])),
});

const MessageSchema = t.Object({
  type: t.Literal("message"),
  role: t.Literal("assistant"),
  content: t.Array(ContentBlockSchema),
  stop_reason: t.Union([t.String(), t.Null()]),
  usage: t.Optional(UsageSchema),
});

const DeltaSchema = t.Union([
  t.Object({ type: t.Literal("text_delta"), text: t.String() }),
  t.Object({ type: t.Literal("input_json_delta"), partial_json: t.String() }),
  t.Object({ type: t.Literal("thinking_delta"), thinking: t.String() }),
  t.Object({ type: t.Literal("signature_delta"), signature: t.String() }),
]);

const StreamEventSchema = t.Union([
  t.Object({ type: t.Literal("message_start"), message: t.Object({ type: t.Literal("message"), usage: t.Optional(UsageSchema) }) }),
  t.Object({ type: t.Literal("content_block_start"), index: t.Integer({ minimum: 0 }), content_block: StartedContentBlockSchema }),
  t.Object({ type: t.Literal("content_block_delta"), index: t.Integer({ minimum: 0 }), delta: DeltaSchema }),
  t.Object({ type: t.Literal("content_block_stop"), index: t.Integer({ minimum: 0 }) }),
  t.Object({
    type: t.Literal("message_delta"),
    delta: t.Object({ stop_reason: t.Optional(t.Union([t.String(), t.Null()])) }),
    usage: t.Optional(UsageSchema),
  }),
  t.Object({ type: t.Literal("message_stop") }),
  t.Object({ type: t.Literal("ping") }),
]);

export const checkMessage = TypeCompiler.Compile(MessageSchema);
export const checkStreamEvent = TypeCompiler.Compile(StreamEventSchema);
