/**
 * The exact cache's key: SHA-256 over the resolved target and the canonical request, so two
 * requests get the same key exactly when the same backend model would be asked the same
 * thing. The target is the router's (a model group, or `backend/model`), not the client's
 * model name: two Claude model names routed to one local model share answers, and one name
 * routed elsewhere after a config change does not reuse the old model's.
 */
import type { ConversationMemo } from "../json/conversation-memo";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { type SerializedRequest, serializeRequestForCache } from "./serialize-request-for-cache";

/**
 * @example
 * computeExactCacheKey(normalized, "group:coder"); // "3f0c…" (64 hex digits)
 */
export function computeExactCacheKey(request: MessageCreateParams, resolvedTarget: string, memo?: ConversationMemo): string {
  return hashSerializedRequest(serializeRequestForCache(request, memo), resolvedTarget);
}

/**
 * The same key from a request already serialized (the semantic cache needs the parts too).
 * Lines separate the parts: canonical JSON and hex digests never contain a raw newline. The
 * messages count by the last link of their hash chain, which stands for all of them.
 *
 * @example
 * hashSerializedRequest(serializeRequestForCache(normalized), "llama/qwen3-coder");
 */
export function hashSerializedRequest(serialized: SerializedRequest, resolvedTarget: string): string {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`exact\n${JSON.stringify(resolvedTarget)}\n${serialized.settings}\n`);
  hasher.update(`${serialized.messages.at(-1) ?? ""}\n`);
  return hasher.digest("hex");
}
