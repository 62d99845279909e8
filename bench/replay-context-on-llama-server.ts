/**
 * The context bench against a real llama-server (`bun bench/context.ts --engine`): a generated
 * Claude Code conversation replayed turn by turn, each turn fitted by anyclaude's trim and by the
 * naive sliding window, and sent to the engine, which reports what it re-evaluated
 * (`timings.prompt_n`) and reused from its KV cache (`timings.cache_n`). The two run in slots of
 * their own (`id_slot`), interleaved, so both meet the same machine load.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContextSettings } from "../src/context/fit-request-to-window";
import { fitRequestToWindow } from "../src/context/fit-request-to-window";
import { countRequestTokens, type TokenCounter } from "../src/context/token-counter";
import type { MessageCreateParams, MessageParam } from "../src/protocol/anthropic/messages";
import { convertAnthropicRequestToOpenAIChat } from "../src/translate/convert-anthropic-request-to-openai-chat";
import { writeGguf } from "../test/support/generate-gguf";
import { toolConversationRequest } from "../test/support/generate-tool-conversation";
import { startLlamaServer } from "../test/support/llama-server";
import { slideNaiveWindow } from "./slide-naive-window";

export interface EngineReplayOptions {
  conversation: MessageParam[];
  turns: number;
  preamble: Pick<MessageCreateParams, "system" | "tools">;
  /** What anyclaude plans for, in its estimated tokens. */
  settings: ContextSettings;
  counter: TokenCounter;
  threads: number;
}

/**
 * The generated models' byte-level vocabulary makes about 1.3 engine tokens per estimated one:
 * each slot holds this much more than the planned window, so what fits the plan fits the slot.
 */
const SLOT_HEADROOM = 1.5;
const TRIM_SLOT = 0;
const NAIVE_SLOT = 1;

interface EngineWork {
  prompt: number;
  evaluated: number;
  refused?: string;
}

/**
 * @example
 * await replayContextOnLlamaServer({ conversation, turns: 40, preamble, settings, counter, threads: 1 });
 */
export async function replayContextOnLlamaServer(options: EngineReplayOptions): Promise<void> {
  const { settings, counter } = options;
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-context-"));
  const slotTokens = Math.ceil(settings.window * SLOT_HEADROOM);
  const modelPath = join(dir, "tiny-chatty.gguf");
  await writeGguf(modelPath, "chatty");
  // No similarity-based slot choice and no host-memory prompt cache: each slot keeps only what it evaluated itself.
  const engine = await startLlamaServer({
    modelPath,
    ctx: 2 * slotTokens,
    threads: options.threads,
    extraArgs: ["-np", "2", "--cache-ram", "0", "-sps", "0"],
  });
  const budget = settings.window - Math.min(settings.outputReserveTokens, Math.floor(settings.window / 4));
  const shares = { trim: [] as number[], naive: [] as number[] };
  const decideMs: number[] = [];
  let outgrown = false;
  try {
    console.log(
      `\nReal llama-server (tiny generated model, ${options.threads} thread(s), 2 slots of ${slotTokens} tokens; anyclaude plans a ${settings.window}-token window, budget ${budget} estimated tokens):`,
    );
    console.log("turn  conversation | trim: prompt  re-eval  share  left out  decide ms | naive: prompt  re-eval  share");
    for (let turn = 1; turn <= options.turns; turn++) {
      const request = toolConversationRequest(options.conversation.slice(0, 2 * turn + 1), options.preamble);
      const total = countRequestTokens(request, counter);
      const started = performance.now();
      const fit = fitRequestToWindow(request, settings, counter, { hasContextFallback: false }).value;
      const decided = performance.now() - started;
      const naive = slideNaiveWindow(request, counter, budget);
      const trim = await sendToSlot(engine.url, fit.request, TRIM_SLOT);
      const slid = await sendToSlot(engine.url, naive, NAIVE_SLOT);
      outgrown ||= total > budget;
      if (outgrown) {
        decideMs.push(decided);
        if (trim.refused === undefined) shares.trim.push(trim.evaluated / trim.prompt);
        if (slid.refused === undefined) shares.naive.push(slid.evaluated / slid.prompt);
      }
      const leftOut = fit.plan === undefined ? 0 : fit.plan.cut - fit.plan.headLength;
      console.log(
        `${pad(turn, 4)}  ${pad(total, 12)} | ${formatWork(trim)}  ${pad(leftOut, 8)}  ${pad(decided.toFixed(2), 9)} | ${formatWork(slid)}${outgrown ? "" : "   (fits: not averaged)"}`,
      );
    }
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  console.log(
    `\nAveraged over the ${shares.trim.length} turns after the conversation first outgrew the window, the engine re-evaluated ${(100 * mean(shares.trim)).toFixed(1)} % of the prompt with anyclaude's trim (target ≤ 20 %), ${(100 * mean(shares.naive)).toFixed(1)} % with the naive sliding window (${shares.naive.length} turns it could send); deciding took ${mean(decideMs).toFixed(2)} ms a turn on average.`,
  );
}

/** One turn to one slot, one token of answer: only the prompt work matters here. */
async function sendToSlot(url: string, request: MessageCreateParams, slot: number): Promise<EngineWork> {
  const chat = convertAnthropicRequestToOpenAIChat({ ...request, max_tokens: 1 }, { thinkingStyle: "none", stream: false }).value;
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...chat, cache_prompt: true, id_slot: slot }),
  });
  const body = (await response.json()) as { timings?: { prompt_n: number; cache_n: number }; error?: { message: string } };
  if (!response.ok || body.timings === undefined)
    return { prompt: 0, evaluated: 0, refused: body.error?.message ?? `status ${response.status}` };
  return { prompt: body.timings.prompt_n + body.timings.cache_n, evaluated: body.timings.prompt_n };
}

function formatWork(work: EngineWork): string {
  if (work.refused !== undefined) return `refused: ${work.refused.slice(0, 40)}`.padEnd(28);
  return `${pad(work.prompt, 12)}  ${pad(work.evaluated, 7)}  ${pad(`${((100 * work.evaluated) / work.prompt).toFixed(0)} %`, 5)}`;
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}
