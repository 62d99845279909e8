/**
 * Anthropic Messages API wire types: what Claude Code sends to `POST /v1/messages` and what it
 * expects back. Plain interfaces discriminated by `type`; request shapes end in `Param`.
 * Only the parts anyclaude reads are typed; unknown fields pass through as `unknown`.
 */

export interface CacheControlParam {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

export interface TextBlockParam {
  type: "text";
  text: string;
  cache_control?: CacheControlParam | null;
  citations?: unknown;
}

interface Base64ImageSource {
  type: "base64";
  media_type: string;
  data: string;
}

interface URLImageSource {
  type: "url";
  url: string;
}

export interface ImageBlockParam {
  type: "image";
  source: Base64ImageSource | URLImageSource;
  cache_control?: CacheControlParam | null;
}

interface DocumentBlockParam {
  type: "document";
  source: unknown;
  title?: string | null;
  cache_control?: CacheControlParam | null;
}

export interface ToolUseBlockParam {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  cache_control?: CacheControlParam | null;
}

export interface ToolResultBlockParam {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<TextBlockParam | ImageBlockParam | DocumentBlockParam>;
  is_error?: boolean;
  cache_control?: CacheControlParam | null;
}

interface ThinkingBlockParam {
  type: "thinking";
  thinking: string;
  signature: string;
}

interface RedactedThinkingBlockParam {
  type: "redacted_thinking";
  data: string;
}

export type ContentBlockParam =
  | TextBlockParam
  | ImageBlockParam
  | DocumentBlockParam
  | ToolUseBlockParam
  | ToolResultBlockParam
  | ThinkingBlockParam
  | RedactedThinkingBlockParam;

/** `role: "system"` inside `messages` is sent by Claude Code 2.1.x; anyclaude normalizes it away. */
export interface MessageParam {
  role: "user" | "assistant" | "system";
  content: string | ContentBlockParam[];
}

export interface ToolParam {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  type?: string;
  cache_control?: CacheControlParam | null;
  /** Claude Code's deferred-tool marker; meaningless to a local backend. */
  defer_loading?: boolean;
  [extra: string]: unknown;
}

export type ToolChoiceParam =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type ThinkingConfigParam =
  | { type: "enabled"; budget_tokens: number; display?: "summarized" | "omitted" | null }
  | { type: "adaptive"; display?: "summarized" | "omitted" | null }
  | { type: "disabled" }
  | { type: "between_tools" };

interface JSONOutputFormat {
  type: "json_schema";
  schema: Record<string, unknown>;
}

export interface OutputConfigParam {
  effort?: "low" | "medium" | "high" | "xhigh" | "max" | null;
  format?: JSONOutputFormat | null;
}

/** Anthropic's MCP connector: a remote MCP server the request asks the API to use (`mcp_servers`). */
export interface MCPServerURLDefinitionParam {
  type: "url";
  url: string;
  name: string;
  authorization_token?: string | null;
  tool_configuration?: { enabled?: boolean | null; allowed_tools?: string[] | null } | null;
}

/** The connector's newer form: which of an `mcp_servers` entry's tools are enabled, in `tools`. */
export interface MCPToolsetParam {
  type: "mcp_toolset";
  mcp_server_name: string;
  default_config?: { enabled?: boolean; defer_loading?: boolean };
  configs?: Record<string, { enabled?: boolean; defer_loading?: boolean }> | null;
  cache_control?: CacheControlParam | null;
}

export interface MessageCreateParams {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  tools?: ToolParam[];
  tool_choice?: ToolChoiceParam;
  thinking?: ThinkingConfigParam;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stream?: boolean;
  metadata?: { user_id?: string | null };
  output_config?: OutputConfigParam;
  /** Older name for `output_config.format`. */
  output_format?: JSONOutputFormat | null;
  context_management?: unknown;
  service_tier?: string;
  container?: unknown;
  mcp_servers?: MCPServerURLDefinitionParam[];
  betas?: string[];
  [extra: string]: unknown;
}

export type CountTokensParams = Pick<MessageCreateParams, "model" | "messages" | "system" | "tools" | "tool_choice" | "thinking"> & {
  [extra: string]: unknown;
};

export interface CountTokensResponse {
  input_tokens: number;
}

export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

/** Where a cited statement comes from: one web search result, as Anthropic's web search cites it. */
export interface WebSearchResultLocation {
  type: "web_search_result_location";
  url: string;
  title: string;
  /** Opaque to the client, sent back as it was; anyclaude's own encoding (see encode-web-search-result.ts). */
  encrypted_index: string;
  /** The passage of the result that supports the statement, at most 150 characters. */
  cited_text: string;
}

export interface TextBlock {
  type: "text";
  text: string;
  citations?: WebSearchResultLocation[] | null;
}

interface ToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}

interface ThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

interface RedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

/** A call of a tool the API side ran (here: anyclaude) on one of the request's or its own MCP servers. */
interface MCPToolUseBlock {
  type: "mcp_tool_use";
  id: string;
  /** The tool's name on its server, without any prefix. */
  name: string;
  server_name: string;
  input: unknown;
}

interface MCPToolResultBlock {
  type: "mcp_tool_result";
  tool_use_id: string;
  is_error: boolean;
  content: string | TextBlock[];
}

/** A call of a server tool (web search...) the API side ran; its result block is the tool's own type. */
interface ServerToolUseBlock {
  type: "server_tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface WebSearchResultBlock {
  type: "web_search_result";
  url: string;
  title: string;
  /** Opaque to the client, sent back in later turns: what the model needs to read the result again. */
  encrypted_content: string;
  page_age: string | null;
}

export type WebSearchToolResultErrorCode =
  | "invalid_tool_input"
  | "unavailable"
  | "max_uses_exceeded"
  | "too_many_requests"
  | "query_too_long";

/** What one call of Anthropic's web_search server tool found, or why it found nothing. */
export interface WebSearchToolResultBlock {
  type: "web_search_tool_result";
  tool_use_id: string;
  content: WebSearchResultBlock[] | { type: "web_search_tool_result_error"; error_code: WebSearchToolResultErrorCode };
}

/** Blocks of tools the proxy ran itself: shown to the client, sent back by it in later turns. */
type ServerToolBlock = MCPToolUseBlock | MCPToolResultBlock | ServerToolUseBlock | WebSearchToolResultBlock;

export type ContentBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock | ServerToolBlock;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  /** Server tools run for the answer (web searches made), as Anthropic bills them. */
  server_tool_use?: ServerToolUsage;
}

export interface ServerToolUsage {
  web_search_requests: number;
}

export interface Message {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}
