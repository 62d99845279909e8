/**
 * Real-engine tier: the KV cache survives Claude Code's turns only because anyclaude strips the
 * billing-header line. Claude Code's recorded 49 KB request goes through anyclaude to a real
 * llama-server, then the same request with another `cc_version` in that line, as the next turn
 * would send it. With stripping on (the default) turn 2 must re-evaluate at most 5 % of its
 * prompt; with `claudeCode.stripBillingHeader: false` it re-evaluates nearly all of it, because
 * the line sits at the very start of the prompt.
 *
 * How much was re-evaluated is read from llama-server's own `/metrics` counters around each
 * turn (prompt tokens evaluated, and reused from the cache): the engine's accounting, the same
 * in both modes, and independent of what anyclaude reports. `/slots` is not used: what it shows
 * after a request differs between llama-server's endpoints. `bun bench/kv-reuse.ts` prints the
 * same measurement with times.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLlamaServer } from "../support/engines";
import { measureKvReuse, readClaudeCodeTurns } from "./measure-kv-reuse";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Each case evaluates up to two ~16,600-token prompts on one busy core. */
const TEST_TIMEOUT_MS = 180_000;

test("turn 2 differs from turn 1 only in the billing-header line", async () => {
  const { turn1, turn2 } = await readClaudeCodeTurns();
  const system1 = turn1.system as Array<{ text: string }>;
  const system2 = turn2.system as Array<{ text: string }>;
  expect(system1[0]!.text).toStartWith("x-anthropic-billing-header: cc_version=2.1.332.0b8;");
  expect(system2[0]!.text).toStartWith("x-anthropic-billing-header: cc_version=2.1.332.132;");
  expect({ ...turn2, system: system2.slice(1) }).toEqual({ ...turn1, system: system1.slice(1) });
});

describe.skipIf(!binary)("KV-cache reuse across Claude Code turns, real llama-server", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-kv-"));
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller" });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of ["translate", "native"] as const) {
    test(
      `${mode} mode, billing header stripped (default): turn 2 re-evaluates at most 5 % of the prompt`,
      async () => {
        const { turn1, turn2 } = await measureKvReuse({ llamaServerUrl: engine.url, mode, stripBillingHeader: true });
        expect(turn2.work.prompt).toBeGreaterThan(10_000);
        // Stripped, both turns render to the same prompt.
        expect(turn2.work.prompt).toBe(turn1.work.prompt);
        expect(turn2.work.evaluatedShare).toBeLessThanOrEqual(0.05);
      },
      TEST_TIMEOUT_MS,
    );

    test(
      `${mode} mode, billing header kept: turn 2 re-evaluates most of the prompt`,
      async () => {
        const { turn2 } = await measureKvReuse({ llamaServerUrl: engine.url, mode, stripBillingHeader: false });
        expect(turn2.work.prompt).toBeGreaterThan(10_000);
        expect(turn2.work.evaluatedShare).toBeGreaterThan(0.5);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
