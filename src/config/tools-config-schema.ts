/**
 * The tool-calling part of the configuration schema: how calls a model writes as text are
 * recovered, how call inputs are checked, and how tools reach a model (natively or described in
 * the prompt), globally and per target. Composed by config-schema.ts.
 */
import { type Static, Type as t } from "@sinclair/typebox";

const ToolCallingSchema = t.Union([t.Literal("auto"), t.Literal("native"), t.Literal("prompt")], {
  default: "auto",
  description:
    "How tools reach the model: `native` sends them as the engine's tool definitions; `prompt` describes them in the system prompt and reads the calls from the answer's text, for models whose chat template has no tool calling; `auto` asks the engine (Ollama's model capabilities, llama-server's chat template) and uses `native` when it cannot tell.",
});

const TargetToolsSchema = t.Object(
  {
    calling: t.Optional(
      t.Union([t.Literal("auto"), t.Literal("native"), t.Literal("prompt")], { description: "`calling` for this target." }),
    ),
    singleCall: t.Optional(t.Boolean({ description: "`singleCall` for this target." })),
  },
  { additionalProperties: false },
);

export const ToolsSchema = t.Object(
  {
    textCalls: t.Boolean({
      default: true,
      description:
        "Turn tool calls a model wrote as text into real tool calls: Hermes/Qwen `<tool_call>`, Llama `<|python_tag|>` and bare JSON, Mistral `[TOOL_CALLS]`, DeepSeek's tool-call tokens, a fenced JSON block naming a declared tool. Text that could open a call is held back until it is clear whether it is one.",
    }),
    reask: t.Boolean({
      default: true,
      description:
        "A call whose input still fails the tool's schema after safe coercions (\"5\" → 5, a lone value → a one-element array) is sent back to the model once, with the validator's message, before any of it reaches the client (both modes; not for an Anthropic upstream). Off, or when the second answer fails too: the call is passed on and counted.",
    }),
    calling: ToolCallingSchema,
    singleCall: t.Boolean({
      default: false,
      description:
        "At most one tool call per answer, for models that manage one but botch several: the engine is asked for one (`parallel_tool_calls: false`, or `disable_parallel_tool_use` in native mode), and calls after the first are dropped with a warning where it ignores that.",
    }),
    targets: t.Record(t.String({ minLength: 1 }), TargetToolsSchema, {
      default: {},
      description: "Per-target overrides of `calling` and `singleCall`, keyed by `backendId/model` or by model name.",
    }),
  },
  { default: {}, additionalProperties: false, description: "Tool calls: text-form recovery, input checks, how tools reach the model." },
);

export type ToolsConfig = Static<typeof ToolsSchema>;
export type ToolCalling = Static<typeof ToolCallingSchema>;
