/**
 * Real-engine tier: what stripping the billing-header line buys with Claude Code 2.1.332, which
 * keeps the line for a whole session and changes it between sessions and for side requests.
 * Two recorded sessions and their title side calls go through anyclaude to one real llama-server
 * (measure-kv-reuse.ts). Stripped (the default), session 2's first turn reuses the prompt that
 * session 1 left in the engine; kept, the line at the very start of the prompt differs and the
 * whole prompt is evaluated again. A session's second turn reuses its first either way.
 *
 * How much was re-evaluated is read from llama-server's own `/metrics` counters around each
 * request (prompt tokens evaluated, and reused from the cache): the engine's accounting, the same
 * in both modes, and independent of what anyclaude reports. `bun bench/kv-reuse.ts` prints the
 * whole replay with times.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TextBlockParam } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { type KvReuseStep, type MeasuredStep, measureKvReuse, readClaudeCodeSession, readClaudeCodeSessions } from "./measure-kv-reuse";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Each case evaluates up to two ~16,600-token prompts on one busy core. */
const TEST_TIMEOUT_MS = 180_000;

const headerOf = (system: unknown) => (system as TextBlockParam[])[0]!.text;

test("the replay's two sessions share system prompt and tools, and differ in their billing header", () => {
  const steps = readClaudeCodeSessions();
  const [session1, sideCall, session2] = steps.map((step) => step.request);
  expect(headerOf(session1!.system)).toStartWith("x-anthropic-billing-header: cc_version=2.1.332.0b8;");
  expect(headerOf(session2!.system)).toStartWith("x-anthropic-billing-header: cc_version=2.1.332.132;");
  expect(headerOf(sideCall!.system)).toStartWith("x-anthropic-billing-header: cc_version=2.1.332.4e9;");
  expect((session2!.system as TextBlockParam[]).slice(1)).toEqual((session1!.system as TextBlockParam[]).slice(1));
  expect(session2!.tools).toEqual(session1!.tools!);
});

test("session 2's turn 2 repeats turn 1 and adds one exchange, under the same header", () => {
  const { turn1, turn2 } = readClaudeCodeSession();
  expect(turn2.system).toEqual(turn1.system);
  expect(turn2.messages.slice(0, 1)).toEqual(turn1.messages.slice(0, 1));
  expect(turn2.messages.map((message) => message.role)).toEqual([...turn1.messages.map((message) => message.role), "assistant", "user"]);
});

describe.skipIf(!binary)("KV-cache reuse across Claude Code sessions, real llama-server", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  // A fresh engine per case: what one replay leaves in the slot and prompt cache must not help the next.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-kv-"));
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller" });
  });

  afterEach(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const find = (steps: MeasuredStep[], step: KvReuseStep) => steps.find((measured) => measured.step === step)!.work;

  for (const mode of ["translate", "native"] as const) {
    test(
      `${mode} mode, billing header stripped (default): session 2's first turn reuses session 1's prompt`,
      async () => {
        const steps = await measureKvReuse({ llamaServerUrl: engine.url, mode, stripBillingHeader: true });
        const firstTurn = find(steps, "session 2, turn 1");
        expect(firstTurn.prompt).toBeGreaterThan(10_000);
        expect(firstTurn.evaluatedShare).toBeLessThanOrEqual(0.05);
        expect(find(steps, "session 2, turn 2").evaluatedShare).toBeLessThanOrEqual(0.05);
      },
      TEST_TIMEOUT_MS,
    );

    test(
      `${mode} mode, billing header kept: session 2's first turn re-evaluates its whole prompt; its turn 2 does not`,
      async () => {
        const steps = await measureKvReuse({ llamaServerUrl: engine.url, mode, stripBillingHeader: false });
        const firstTurn = find(steps, "session 2, turn 1");
        expect(firstTurn.prompt).toBeGreaterThan(10_000);
        expect(firstTurn.evaluatedShare).toBeGreaterThan(0.95);
        expect(find(steps, "session 2, turn 2").evaluatedShare).toBeLessThanOrEqual(0.05);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
