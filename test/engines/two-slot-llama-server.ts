/**
 * A real llama-server with 2 slots whose own slot choice is reduced to "least recently used"
 * (`-sps 0`) and without its host-memory prompt cache (`--cache-ram 0`), so each slot keeps only
 * what it evaluated itself; and one request through anyclaude with the prompt work it cost. What
 * the slot tests (prefix affinity, side calls) share.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { writeGguf } from "../support/generate-gguf";
import { type RunningLlamaServer, startLlamaServer } from "../support/llama-server";
import { parseSse } from "../support/parse-sse";
import { measurePromptWork, type PromptWork } from "./read-llama-server-metrics";

export const TWO_SLOT_MODEL = "tiny-tool-caller";

/**
 * 2 slots of 32768 tokens each, serving the tool-caller model under its alias.
 *
 * @example
 * const engine = await startTwoSlotLlamaServer(dir);
 */
export async function startTwoSlotLlamaServer(dir: string): Promise<RunningLlamaServer> {
  const modelPath = join(dir, `${TWO_SLOT_MODEL}.gguf`);
  await writeGguf(modelPath, "tool-caller");
  return startLlamaServer({
    modelPath,
    ctx: 65_536,
    extraArgs: ["--alias", TWO_SLOT_MODEL, "--metrics", "-np", "2", "-sps", "0", "--cache-ram", "0"],
  });
}

/**
 * Streams one request through anyclaude to its end; the prompt work is read from the engine's
 * counters, so nothing else may talk to that engine meanwhile.
 *
 * @example
 * const work = await sendMeasured(proxy.url, engine.url, turn2);
 * work.evaluatedShare; // small when turn 1's prompt was still in the slot
 */
export async function sendMeasured(proxyUrl: string, llamaServerUrl: string, request: MessageCreateParams): Promise<PromptWork> {
  const { work } = await measurePromptWork(llamaServerUrl, async () => {
    const response = await fetch(`${proxyUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...request, stream: true }),
    });
    expect(response.status).toBe(200);
    const events = (await Array.fromAsync(parseSse(response.body!))).map((frame) => frame.event);
    expect(events.at(-1)).toBe("message_stop");
  });
  return work;
}
