/**
 * Prompt slimming through the real server, in translate mode (fake llama-server) and native mode
 * (fake Anthropic-speaking engine): the backend receives exactly the system prompt and tools the
 * PromptOptimizer makes of Claude Code's recorded request; a tier chosen by route applies to its
 * requests only; and a slimmed prompt the gate refuses goes out untouched, counted and logged,
 * while the request is still answered.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PromptOptimizer } from "../../src/prompt/prompt-optimizer";
import type { MessageCreateParams, TextBlockParam, ToolParam } from "../../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { type RecordedClaudeCodeRequest, readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicJson, type FakeAnthropicBackend, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type ConfigOverrides, type StartedProxy, startProxy } from "../support/start-proxy";

const RECORDED = readClaudeCodeRequests();
const MAIN = RECORDED.find((request) => request.name === "cc-2.1.332_p-say-hi_stream")!;
const TITLE = RECORDED.find((request) => request.name === "cc-2.1.332_interactive-title_structured-output")!;
const DEFER_TOOLS = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];
const REPLY = "Hi.";
const MODEL = "qwen3-coder-30b-a3b";

let openai: FakeOpenAIBackend;
let native: FakeAnthropicBackend;
const proxies: StartedProxy[] = [];

beforeAll(() => {
  openai = startFakeOpenAIBackend(
    () => openAIJson(llamaServerCompletion({ text: REPLY, usage: { promptTokens: 900, completionTokens: 2 } })),
    {
      kind: "llamacpp",
    },
  );
  native = startFakeAnthropicBackend(() => anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: REPLY }] })), {
    kind: "anthropic",
  });
});

afterAll(async () => {
  await Promise.all([...proxies.map((proxy) => proxy.stop()), openai.stop(), native.stop()]);
});

type Mode = "translate" | "native";

async function start(mode: Mode, prompt: ConfigOverrides["prompt"], overrides: ConfigOverrides = {}): Promise<StartedProxy> {
  const url = mode === "translate" ? openai.url : native.url;
  const backend = { id: "engine", url, kind: mode === "translate" ? ("llamacpp" as const) : ("anthropic" as const), mode };
  // Cache breakpoints off: native requests then carry exactly the slimmed system prompt.
  const proxy = await startProxy({ prompt, cache: { enabled: false, control: { inject: false, points: [] } }, ...overrides }, [backend]);
  proxies.push(proxy);
  return proxy;
}

/** Sends a recorded request (non-streamed, to read the answer whole) and returns what the backend received. */
async function send(proxy: StartedProxy, mode: Mode, recorded: RecordedClaudeCodeRequest) {
  const backend = mode === "translate" ? openai : native;
  const path = mode === "translate" ? "/v1/chat/completions" : "/v1/messages";
  const before = backend.requestsTo(path).length;
  const response = await fetch(`${proxy.url}${recorded.url}`, {
    method: "POST",
    headers: recorded.headers,
    body: JSON.stringify({ ...recorded.body, stream: false }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { content: Array<{ text?: string }> }).content[0]!.text).toBe(REPLY);
  const received = backend.requestsTo(path);
  expect(received.length).toBe(before + 1);
  return readPrompt(mode, received.at(-1)!.body as Record<string, unknown>);
}

/** The system prompt's text and each tool's name and description as the backend got them. */
function readPrompt(mode: Mode, body: Record<string, unknown>) {
  if (mode === "native") {
    const system = body.system as TextBlockParam[];
    const tools = (body.tools ?? []) as ToolParam[];
    return {
      system: system.map((block) => block.text).join("\n"),
      tools: tools.map((tool) => [tool.name, tool.description, tool.input_schema]),
    };
  }
  const messages = body.messages as Array<{ role: string; content: string }>;
  const tools = (body.tools ?? []) as Array<{ function: { name: string; description: string; parameters: unknown } }>;
  return {
    system: messages[0]!.role === "system" ? messages[0]!.content : "",
    tools: tools.map((tool) => [tool.function.name, tool.function.description, tool.function.parameters]),
  };
}

/** What the backend must receive: the optimizer's output on the normalized request, in the mode's shape. */
function expectedPrompt(mode: Mode, recorded: RecordedClaudeCodeRequest, tier: "off" | "moderate" | "aggressive") {
  const normalized = normalizeAnthropicRequest(recorded.body, { stripBillingHeader: true, systemMessages: "hoist" }).value;
  const slimmed: MessageCreateParams = new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(normalized, tier).request;
  const system = (slimmed.system as TextBlockParam[]).map((block) => block.text).join("\n");
  // Translate mode sends schemas without `$schema` (adaptToolSchema); the prose is the point here.
  const tools = (slimmed.tools ?? []).map((tool) => [
    tool.name,
    tool.description,
    mode === "native" ? tool.input_schema : expect.any(Object),
  ]);
  return { system, tools };
}

describe.each(["translate", "native"] as const)("%s mode", (mode) => {
  test.each(["moderate", "aggressive"] as const)("%s: the backend receives the slimmed system prompt and tools", async (tier) => {
    const proxy = await start(mode, { tier });
    const received = await send(proxy, mode, MAIN);
    expect(received).toEqual(expectedPrompt(mode, MAIN, tier));
    expect(received.system).toContain("Primary working directory: /home/dev/project");
    expect(received.system).not.toContain("```markdown");
    expect(received.system.length).toBeLessThan(expectedPrompt(mode, MAIN, "off").system.length);

    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    const before = Number(new RegExp(`anyclaude_prompt_tokens_total\\{tier="${tier}",stage="before"\\} (\\d+)`).exec(metrics)?.[1]);
    const after = Number(new RegExp(`anyclaude_prompt_tokens_total\\{tier="${tier}",stage="after"\\} (\\d+)`).exec(metrics)?.[1]);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before * (tier === "aggressive" ? 0.35 : 0.6));
    const line = proxy.logs.find((record) => record.msg === "messages");
    expect(line?.prompt).toBe(`${tier} ${before}>${after}`);
  });

  test("a tier by model group, over its route's: background requests slimmed, the main loop untouched", async () => {
    const proxy = await start(
      mode,
      { tier: "off", tierByRoute: { background: "moderate", small: "aggressive" } },
      {
        routes: { background: "small" },
        modelGroups: { small: { strategy: "simple-shuffle", targets: [`engine/${MODEL}`], fallbacks: [] } },
      },
    );
    expect(await send(proxy, mode, TITLE)).toEqual(expectedPrompt(mode, TITLE, "aggressive"));
    expect(await send(proxy, mode, MAIN)).toEqual(expectedPrompt(mode, MAIN, "off"));
    const logged = proxy.logs.filter((record) => record.msg === "messages").map((record) => String(record.prompt).split(" ")[0]);
    expect(logged).toEqual(["aggressive", "undefined"]);
  });

  test("a slimmed prompt the gate refuses goes out untouched, counted and logged; the request is answered", async () => {
    // A replacement longer than what it replaces makes the result longer than the input.
    const proxy = await start(mode, {
      tier: "moderate",
      rules: [{ heading: "Memory", action: "replace", text: "Remember everything. ".repeat(3000) }],
    });
    expect(await send(proxy, mode, MAIN)).toEqual(expectedPrompt(mode, MAIN, "off"));
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    expect(metrics).toContain('anyclaude_prompt_gate_failures_total{tier="moderate"} 1');
    expect(metrics).toContain('anyclaude_translation_warnings_total{code="prompt-gate-failed"} 1');
    const line = proxy.logs.find((record) => record.msg === "messages");
    expect(String(line?.prompt)).toMatch(/^moderate (\d+)>\1 \(gate failed\)$/);
    expect(String(line?.warnings)).toContain("prompt-gate-failed@system");
  });
});
