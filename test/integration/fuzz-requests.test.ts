/**
 * Seeded fuzzing of the requests Claude Code sends: two thousand mutated variants of the recorded
 * requests go to the real server (cache and history on, a loopback engine behind it that answers
 * whatever reaches it). Each answer is a complete 2xx or a 4xx with Anthropic's error body; never a
 * 5xx, never a hang; and the server still answers /health after every batch.
 * Replay one case:  FUZZ_SEED=<seed> bun test test/integration/fuzz-requests.test.ts
 * More cases:  FUZZ_CASES=20000 (bench/fuzz.ts runs 100,000 against `anyclaude serve`).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { makeFuzzCase } from "../support/fuzz-claude-code-request";
import { sendFuzzCase } from "../support/send-fuzz-case";
import type { StartedProxy } from "../support/start-proxy";
import { makeScratchDir, removeScratch, startCachingProxy } from "./cache-test-kit";

const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 1);
const CASES = process.env.FUZZ_SEED ? 1 : Number(process.env.FUZZ_CASES ?? 2_000);
const CONCURRENCY = 8;
const BATCH = 250;
/** Generous on a busy 2-core machine: a case takes milliseconds; only a hang comes near it. */
const CLIENT_TIMEOUT_MS = 15_000;

const backend = startFakeOpenAIBackend((request) => {
  const reply = { text: "Fuzzed, and still answered.", usage: { promptTokens: 40, completionTokens: 6 } };
  return (request.body as { stream?: boolean } | undefined)?.stream
    ? openAIStream(llamaServerChunks({ ...reply, pieces: 2 }))
    : openAIJson(llamaServerCompletion(reply));
});
const dataDir = makeScratchDir("fuzz");
let proxy: StartedProxy;

beforeAll(async () => {
  proxy = await startCachingProxy({ url: backend.url, kind: "llamacpp", mode: "translate" }, { dataDir });
});

afterAll(async () => {
  await proxy.stop();
  await backend.stop();
  removeScratch(dataDir);
});

test(`${CASES} mutated Claude Code requests from seed ${FIRST_SEED}: a 2xx or Anthropic's 4xx each, and /health between batches`, async () => {
  const bases = readClaudeCodeRequests();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (let batchStart = 0; batchStart < CASES; batchStart += BATCH) {
    const seeds = Array.from({ length: Math.min(BATCH, CASES - batchStart) }, (_, index) => FIRST_SEED + batchStart + index);
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift()) {
        const fuzzCase = makeFuzzCase(bases, seed);
        const verdict = await sendFuzzCase(proxy.url, fuzzCase, CLIENT_TIMEOUT_MS);
        statuses.set(verdict.status, (statuses.get(verdict.status) ?? 0) + 1);
        if (verdict.problem) failures.push(`seed ${seed} (${fuzzCase.base}: ${fuzzCase.mutations.join(", ")}): ${verdict.problem}`);
      }
    });
    await Promise.all(workers);
    const health = await fetch(`${proxy.url}/health`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    expect(health.status).toBe(200);
    await health.arrayBuffer();
  }
  if (failures.length > 0) console.error(`fuzz failures (replay with FUZZ_SEED=<seed>):\n${failures.slice(0, 30).join("\n")}`);
  expect(failures).toEqual([]);
  // Both kinds of answer ran: the property is not met by refusing everything.
  const answered = [...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
  if (CASES >= 100) expect(answered).toBeGreaterThan(CASES / 20);
}, 300_000);
