/**
 * The cache keys reuse what they computed for a conversation's earlier, frozen messages (hash
 * chain, per-message digests, tools and system digests). Reuse must never change a key: the key
 * of a turn is the same whether its parts were seen before or not.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { computeExactCacheKey } from "../../../src/cache/compute-exact-cache-key";
import { computeSemanticQuery } from "../../../src/cache/compute-semantic-query";
import { serializeRequestForCache } from "../../../src/cache/serialize-request-for-cache";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";

const FIXTURE = join(import.meta.dir, "../../fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const recorded = (await Bun.file(FIXTURE).json()) as MessageCreateParams;

function turn(n: number): MessageCreateParams {
  const request = structuredClone(recorded);
  for (let k = 1; k <= n; k++) {
    request.messages.push({ role: "assistant", content: [{ type: "text", text: `Answer ${k}: ${"a".repeat(150)}` }] });
    request.messages.push({ role: "user", content: [{ type: "text", text: `Question ${k + 1}: ${"q".repeat(150)}` }] });
  }
  return request;
}

test("turn after turn, keys from shared frozen parts equal keys computed from scratch", () => {
  const memo = new ConversationMemo();
  for (let n = 0; n < 6; n++) {
    const shared = memo.parser.parse(new TextEncoder().encode(JSON.stringify(turn(n)))) as MessageCreateParams;
    const fresh = turn(n);
    expect(Object.isFrozen(shared.tools)).toBe(true);
    expect(computeExactCacheKey(shared, "llama/m", memo)).toBe(computeExactCacheKey(fresh, "llama/m"));
    expect(computeSemanticQuery(shared, serializeRequestForCache(shared, memo), "llama/m")).toEqual(
      computeSemanticQuery(fresh, serializeRequestForCache(fresh), "llama/m"),
    );
  }
});

test("a changed earlier message, tool or system block changes the key", () => {
  const base = computeExactCacheKey(turn(3), "llama/m");
  const message = turn(3);
  (message.messages[2]!.content as Array<{ text: string }>)[0]!.text += "!";
  const tool = turn(3);
  tool.tools![0]!.description += "!";
  const system = turn(3);
  (system.system as Array<{ text: string }>)[2]!.text += "!";
  for (const changed of [message, tool, system]) expect(computeExactCacheKey(changed, "llama/m")).not.toBe(base);
  expect(computeExactCacheKey(turn(3), "llama/other")).not.toBe(base);
});
