/**
 * Runtime schema for incoming `POST /v1/messages` and `/count_tokens` bodies. It checks what
 * anyclaude relies on and lets unknown fields through (Claude Code adds new ones often);
 * content blocks are checked by their `type`, so an error names the exact field.
 */
import { Type as t } from "@sinclair/typebox";

const CacheControl = t.Optional(t.Union([t.Object({ type: t.String() }), t.Null()]));

const TextBlock = t.Object({ type: t.Literal("text"), text: t.String(), cache_control: CacheControl });
const ImageSource = t.Union([
  t.Object({ type: t.Literal("base64"), media_type: t.String(), data: t.String() }),
  t.Object({ type: t.Literal("url"), url: t.String() }),
]);
const ImageBlock = t.Object({ type: t.Literal("image"), source: ImageSource, cache_control: CacheControl });
const DocumentBlock = t.Object({ type: t.Literal("document"), source: t.Unknown() });

/** Blocks by `type`; a type not listed here passes as long as it is an object with a string `type`. */
export const ContentBlockSchemas = {
  text: TextBlock,
  image: ImageBlock,
  document: DocumentBlock,
  tool_use: t.Object({ type: t.Literal("tool_use"), id: t.String({ minLength: 1 }), name: t.String({ minLength: 1 }), input: t.Unknown() }),
  tool_result: t.Object({
    type: t.Literal("tool_result"),
    tool_use_id: t.String({ minLength: 1 }),
    content: t.Optional(t.Union([t.String(), t.Array(t.Object({ type: t.String() }))])),
    is_error: t.Optional(t.Boolean()),
  }),
  thinking: t.Object({ type: t.Literal("thinking"), thinking: t.String(), signature: t.Optional(t.String()) }),
  redacted_thinking: t.Object({ type: t.Literal("redacted_thinking"), data: t.String() }),
} as const;

const Message = t.Object({
  role: t.Union([t.Literal("user"), t.Literal("assistant"), t.Literal("system")]),
  content: t.Union([t.String(), t.Array(t.Object({ type: t.String() }))]),
});

const Tool = t.Object({
  name: t.String({ minLength: 1, maxLength: 128 }),
  description: t.Optional(t.String()),
  input_schema: t.Optional(t.Object({})),
  type: t.Optional(t.String()),
});

const ToolConfig = t.Object({ enabled: t.Optional(t.Boolean()), defer_loading: t.Optional(t.Boolean()) });

/** The MCP connector's tool entry: it names no tool, but which of an `mcp_servers` entry's tools are on. */
const McpToolsetSchema = t.Object({
  type: t.Literal("mcp_toolset"),
  mcp_server_name: t.String({ minLength: 1 }),
  default_config: t.Optional(ToolConfig),
  configs: t.Optional(t.Union([t.Record(t.String(), ToolConfig), t.Null()])),
});

/** Anthropic's MCP connector: the remote MCP servers whose tools the API side runs (here: anyclaude). */
const McpServers = t.Array(
  t.Object({
    type: t.Literal("url"),
    url: t.String({ pattern: "^https?://" }),
    name: t.String({ minLength: 1 }),
    authorization_token: t.Optional(t.Union([t.String(), t.Null()])),
    tool_configuration: t.Optional(
      t.Union([
        t.Object({
          enabled: t.Optional(t.Union([t.Boolean(), t.Null()])),
          allowed_tools: t.Optional(t.Union([t.Array(t.String()), t.Null()])),
        }),
        t.Null(),
      ]),
    ),
  }),
);

const ToolChoice = t.Union([
  t.Object({ type: t.Literal("auto"), disable_parallel_tool_use: t.Optional(t.Boolean()) }),
  t.Object({ type: t.Literal("any"), disable_parallel_tool_use: t.Optional(t.Boolean()) }),
  t.Object({ type: t.Literal("tool"), name: t.String({ minLength: 1 }), disable_parallel_tool_use: t.Optional(t.Boolean()) }),
  t.Object({ type: t.Literal("none") }),
]);

const Thinking = t.Union([
  t.Object({ type: t.Literal("enabled"), budget_tokens: t.Integer({ minimum: 1 }) }),
  t.Object({ type: t.Literal("adaptive") }),
  t.Object({ type: t.Literal("disabled") }),
  t.Object({ type: t.Literal("between_tools") }),
]);

const OutputFormat = t.Union([t.Object({ type: t.Literal("json_schema"), schema: t.Object({}) }), t.Null()]);

const shared = {
  model: t.String({ minLength: 1 }),
  messages: t.Array(Message, { minItems: 1 }),
  system: t.Optional(t.Union([t.String(), t.Array(TextBlock)])),
  tools: t.Optional(t.Array(t.Union([McpToolsetSchema, Tool]))),
  tool_choice: t.Optional(ToolChoice),
  thinking: t.Optional(Thinking),
};

export const MessageCreateSchema = t.Object({
  ...shared,
  max_tokens: t.Integer({ minimum: 1 }),
  stream: t.Optional(t.Boolean()),
  stop_sequences: t.Optional(t.Array(t.String())),
  temperature: t.Optional(t.Number({ minimum: 0, maximum: 2 })),
  top_p: t.Optional(t.Number({ minimum: 0, maximum: 1 })),
  top_k: t.Optional(t.Integer({ minimum: 0 })),
  output_config: t.Optional(t.Object({ format: t.Optional(OutputFormat) })),
  output_format: t.Optional(OutputFormat),
  mcp_servers: t.Optional(McpServers),
});

export const CountTokensSchema = t.Object(shared);
