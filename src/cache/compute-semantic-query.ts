/**
 * What the semantic cache compares: the context (everything but the last user turn, hashed)
 * must be identical, and only the last user turn's text is embedded. A turn that is not plain
 * text (a tool result, an image) is not looked up by meaning: its content must match exactly.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { SerializedRequest } from "./serialize-request-for-cache";

export interface SemanticQuery {
  /** SHA-256 of the target, settings (system, tools, sampling…) and every message before the last. */
  contextHash: string;
  /** The last user turn's text blocks, joined by newlines: what is embedded. */
  text: string;
}

/** Which kind of request, for the `cache.semantic` switches. */
export type SemanticRequestKind = "sideCall" | "plain" | "withTools";

/**
 * @example
 * classifySemanticRequest({ tools: [], output_config: { format: { type: "json_schema", schema } }, ... }); // "sideCall"
 */
export function classifySemanticRequest(request: Pick<MessageCreateParams, "tools" | "output_config">): SemanticRequestKind {
  if ((request.tools ?? []).length > 0) return "withTools";
  return request.output_config?.format?.type === "json_schema" ? "sideCall" : "plain";
}

/**
 * Undefined when the last message is not a user turn of text.
 *
 * @example
 * computeSemanticQuery(normalized, serializeRequestForCache(normalized), "llama/qwen3");
 * // { contextHash: "9ab1…", text: "Please write a haiku about proxies" }
 */
export function computeSemanticQuery(
  request: MessageCreateParams,
  serialized: SerializedRequest,
  resolvedTarget: string,
): SemanticQuery | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== "user") return undefined;
  let text: string;
  if (typeof last.content === "string") {
    text = last.content;
  } else {
    if (!last.content.every((block) => block.type === "text")) return undefined;
    text = last.content.map((block) => (block as { text: string }).text).join("\n");
  }
  if (text.trim() === "") return undefined;
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`semantic\n${JSON.stringify(resolvedTarget)}\n${serialized.settings}\n`);
  // The chain's link before the last message stands for every message before it.
  hasher.update(`${serialized.messages.at(-2) ?? ""}\n`);
  return { contextHash: hasher.digest("hex"), text };
}
