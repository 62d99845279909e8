/**
 * Claude Code resends the whole conversation every turn, and anyclaude reuses what it already
 * parsed, converted and serialized (ConversationMemo). None of that may change
 * what a backend receives: turn after turn, a long-running proxy must send exactly the bytes a
 * freshly started one sends, in both backend modes, with tools, system prompt and history that
 * repeat and with ones that change.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicJson, type FakeAnthropicBackend, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const recorded = readClaudeCodeRequests().find((request) => request.name.includes("p-say-hi"))!;
const firstTurn = recorded.body as unknown as {
  messages: Array<{ role: string; content: unknown }>;
  tools: Array<{ description: string }>;
  system: Array<{ type: string; text: string }>;
};

/** Turn n: the recorded request with n exchanges after it; from turn 4 on, one tool's description changed. */
function turn(n: number): object {
  const request = structuredClone(firstTurn);
  for (let k = 1; k <= n; k++) {
    request.messages.push({ role: "assistant", content: [{ type: "text", text: `Answer ${k}: ${"a".repeat(200)}` }] });
    request.messages.push({ role: "user", content: [{ type: "text", text: `Question ${k + 1}: ${"q".repeat(200)}` }] });
  }
  if (n >= 4) request.tools[1]!.description += " Changed in turn 4.";
  // Claude Code stamps each request in its first system block.
  request.system[0]!.text = request.system[0]!.text.replace(/cc_version=[^;]*/, `cc_version=2.1.332.${n.toString(16).padStart(3, "0")}`);
  return { ...request, stream: false };
}

interface Mode {
  name: "translate" | "native";
  backend: FakeOpenAIBackend | FakeAnthropicBackend;
  path: string;
  config: { url: string; kind: "llamacpp" | "anthropic"; mode: "translate" | "native" };
}

const modes: Mode[] = [];
let longRunning: StartedProxy[] = [];

beforeAll(async () => {
  const openai = startFakeOpenAIBackend(
    openAIJson(llamaServerCompletion({ text: "ok", usage: { promptTokens: 10, completionTokens: 1 } })),
    { kind: "llamacpp" },
  );
  const native = startFakeAnthropicBackend(anthropicJson(anthropicMessageBody({ model: "m", blocks: [{ type: "text", text: "ok" }] })), {
    kind: "anthropic",
    model: "m",
  });
  modes.push(
    { name: "translate", backend: openai, path: "/v1/chat/completions", config: { url: openai.url, kind: "llamacpp", mode: "translate" } },
    { name: "native", backend: native, path: "/v1/messages", config: { url: native.url, kind: "anthropic", mode: "native" } },
  );
  longRunning = await Promise.all(modes.map((mode) => startProxy({ cache: { enabled: false } }, [mode.config])));
});

afterAll(async () => {
  await Promise.all([...longRunning.map((proxy) => proxy.stop()), ...modes.map((mode) => mode.backend.stop())]);
});

async function send(proxy: StartedProxy, body: object): Promise<void> {
  const response = await fetch(`${proxy.url}/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe.each(["translate", "native"] as const)("%s mode", (name) => {
  test("a long-running proxy sends each turn's backend request byte for byte as a fresh proxy does", async () => {
    const index = modes.findIndex((mode) => mode.name === name);
    const mode = modes[index]!;
    for (let n = 0; n <= 6; n++) {
      await send(longRunning[index]!, turn(n));
      const reused = mode.backend.requestsTo(mode.path).at(-1)!.rawBody;
      const fresh = await startProxy({ cache: { enabled: false } }, [mode.config]);
      try {
        await send(fresh, turn(n));
      } finally {
        await fresh.stop();
      }
      const expected = mode.backend.requestsTo(mode.path).at(-1)!.rawBody;
      expect(reused).toBe(expected);
      if (n >= 4) expect(reused).toContain("Changed in turn 4.");
    }
  });
});
