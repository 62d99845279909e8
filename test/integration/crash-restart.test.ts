/**
 * `kill -9` of `anyclaude serve` in the middle of cache and history writes, then a restart on the
 * same data dir, a few times over (bench/crash-loop.ts does it 50 times): no committed history row
 * or cached answer is lost, and the file passes integrity_check after every kill.
 * More cycles:  CRASH_CYCLES=50 bun test test/integration/crash-restart.test.ts
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { runCrashRestartCycles } from "../support/crash-restart-cycles";
import { openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { seededRandom } from "../support/seeded-random";
import { makeScratchDir, removeScratch } from "./cache-test-kit";

const CYCLES = Number(process.env.CRASH_CYCLES ?? 5);
const backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "Written, then killed." })));
const dataDir = makeScratchDir("crash-restart");
afterAll(async () => {
  await backend.stop();
  removeScratch(dataDir);
});

test(`${CYCLES} kills during cache and history writes: every committed row and answer survives, integrity_check ok`, async () => {
  const summary = await runCrashRestartCycles({
    cycles: CYCLES,
    engineUrl: backend.url,
    dataDir,
    root: join(import.meta.dir, "../.."),
    random: seededRandom(7),
  });
  expect(summary.problems).toEqual([]);
  expect(summary.kills).toBe(CYCLES);
  expect(summary.confirmedRows).toBeGreaterThanOrEqual(CYCLES * 6);
  expect(summary.confirmedAnswers).toBe(CYCLES);
}, 120_000);
