/**
 * OpenAI chat-completions request, as anyclaude sends it to local engines (llama-server,
 * LM Studio, vLLM, Ollama's /v1). Plain interfaces: these shapes only go out.
 */

interface ChatTextPart {
  type: "text";
  text: string;
}

interface ChatImagePart {
  type: "image_url";
  image_url: { url: string };
}

export type ChatContentPart = ChatTextPart | ChatImagePart;

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatSystemMessage {
  role: "system";
  content: string;
}

export interface ChatUserMessage {
  role: "user";
  content: string | ChatContentPart[];
}

export interface ChatAssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ChatToolCall[];
  /** Earlier reasoning, for engines whose templates re-insert it (llama-server, vLLM). */
  reasoning_content?: string;
}

export interface ChatToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string;
}

export type ChatMessage = ChatSystemMessage | ChatUserMessage | ChatAssistantMessage | ChatToolMessage;

export interface ChatFunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

type ChatToolChoice = "auto" | "none" | "required" | { type: "function"; function: { name: string } };

export interface ChatResponseFormat {
  type: "json_schema";
  json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean };
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  /** Newer OpenAI name for max_tokens; vLLM and LM Studio accept both. */
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  temperature?: number;
  top_p?: number;
  /** Not OpenAI, but honoured by llama-server, vLLM, LM Studio and Ollama. */
  top_k?: number;
  stop?: string[];
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ChatResponseFormat;
  /** OpenAI / Ollama / LM Studio reasoning switch. */
  reasoning_effort?: "none" | "low" | "medium" | "high";
  /** llama-server / vLLM: passed to the Jinja chat template (e.g. enable_thinking). */
  chat_template_kwargs?: Record<string, unknown>;
  /** llama-server: keep the prompt in the slot's KV cache. */
  cache_prompt?: boolean;
  /** llama-server: pin to the slot that holds this prompt's prefix. */
  id_slot?: number;
  [extra: string]: unknown;
}
