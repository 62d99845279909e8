/**
 * Measures how much of a Claude Code-shaped turn llama-server re-evaluates when the turn before
 * it left the prompt in the KV cache. Two turns go through anyclaude: Claude Code's recorded
 * 49 KB request, then the same request with a different billing-header line, which is all that
 * changes between two real requests of one session. The prompt work is read from llama-server's
 * own counters (see read-llama-server-metrics.ts). Shared by test/engines/kv-reuse.test.ts and
 * bench/kv-reuse.ts.
 */
import { join } from "node:path";
import type { PromptTier } from "../../src/config/prompt-config-schema";
import type { MessageCreateParams, TextBlockParam } from "../../src/protocol/anthropic/messages";
import { CLAUDE_CODE_FIXTURES_DIR } from "../support/claude-code-fixtures";
import { parseSse } from "../support/parse-sse";
import { startProxy } from "../support/start-proxy";
import { measurePromptWork, type PromptWork } from "./read-llama-server-metrics";

export type KvReuseMode = "translate" | "native";

interface TurnMeasurement {
  work: PromptWork;
  /** From sending the request to the end of the streamed answer, as the client sees it. */
  wallMs: number;
}

export interface KvReuseMeasurement {
  turn1: TurnMeasurement;
  turn2: TurnMeasurement;
}

export interface MeasureKvReuseOptions {
  llamaServerUrl: string;
  mode: KvReuseMode;
  stripBillingHeader: boolean;
  /** Prompt slimming; default off. */
  promptTier?: PromptTier;
}

/**
 * @example
 * const { turn2 } = await measureKvReuse({ llamaServerUrl: engine.url, mode: "translate", stripBillingHeader: true });
 * turn2.work.evaluatedShare; // about 0.0001
 */
export async function measureKvReuse(options: MeasureKvReuseOptions): Promise<KvReuseMeasurement> {
  const proxy = await startProxy(
    { claudeCode: { stripBillingHeader: options.stripBillingHeader }, prompt: { tier: options.promptTier ?? "off" } },
    [{ url: options.llamaServerUrl, kind: "llamacpp", mode: options.mode }],
  );
  try {
    const { turn1, turn2 } = await readClaudeCodeTurns();
    const first = await sendTurn(proxy.url, options.llamaServerUrl, turn1);
    const second = await sendTurn(proxy.url, options.llamaServerUrl, turn2);
    return { turn1: first, turn2: second };
  } finally {
    await proxy.stop();
  }
}

/** Claude Code's recorded `-p "say hi"` request, and the same request as the next run would send it. */
export async function readClaudeCodeTurns(): Promise<{ turn1: MessageCreateParams; turn2: MessageCreateParams }> {
  const turn1 = (await Bun.file(join(CLAUDE_CODE_FIXTURES_DIR, "cc-2.1.332_p-say-hi_stream.body.json")).json()) as MessageCreateParams;
  // `.132` is the suffix the recorded follow-up request carried: a real value, not an invented one.
  return { turn1, turn2: changeBillingHeader(turn1, "2.1.332.132") };
}

/**
 * The request with its billing-header line naming another `cc_version`; nothing else changes.
 *
 * @example
 * changeBillingHeader(body, "2.1.332.132").system[0].text
 * // "x-anthropic-billing-header: cc_version=2.1.332.132; cc_entrypoint=sdk-cli;"
 */
function changeBillingHeader(request: MessageCreateParams, ccVersion: string): MessageCreateParams {
  const system = request.system;
  if (!Array.isArray(system) || !system[0]?.text.startsWith("x-anthropic-billing-header:")) {
    throw new Error("the request's first system block is not a billing header");
  }
  const header: TextBlockParam = { ...system[0], text: system[0].text.replace(/cc_version=[^;]*;/, `cc_version=${ccVersion};`) };
  if (header.text === system[0].text) throw new Error("the billing header has no cc_version to change");
  return { ...request, system: [header, ...system.slice(1)] };
}

async function sendTurn(proxyUrl: string, llamaServerUrl: string, request: MessageCreateParams): Promise<TurnMeasurement> {
  const { result: wallMs, work } = await measurePromptWork(llamaServerUrl, async () => {
    const started = performance.now();
    const response = await fetch(`${proxyUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    if (response.status !== 200) throw new Error(`anyclaude answered ${response.status}: ${await response.text()}`);
    let last: string | undefined;
    for await (const frame of parseSse(response.body!)) {
      if (frame.event === "error") throw new Error(`the stream failed: ${frame.data}`);
      last = frame.event;
    }
    if (last !== "message_stop") throw new Error(`the stream ended with ${last ?? "nothing"}, not message_stop`);
    return performance.now() - started;
  });
  return { work, wallMs };
}
