/**
 * Real-engine tier: anyclaude (`startServer`) in translate and in native mode in front of a real
 * llama-server serving the generated tiny models. Text and tool calls, streamed and not (the
 * streams read by the official @anthropic-ai/sdk), exact token counts, the model list, and the
 * engine's prompt-cache hits reaching the client as `cache_read_input_tokens`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import type { CountTokensParams, Message, MessageCreateParams } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { convertAnthropicRequestToOpenAIChat } from "../../src/translate/convert-anthropic-request-to-openai-chat";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { CLAUDE_CODE_FIXTURES_DIR } from "../support/claude-code-fixtures";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { measurePromptWork } from "./read-llama-server-metrics";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Room for Claude Code's count_tokens request (about 10,400 tokens with the tiny vocabulary). */
const CTX = 16384;
const MODES = ["translate", "native"] as const;
type Mode = (typeof MODES)[number];

const bashTool = {
  name: "Bash",
  description: "Run a shell command",
  input_schema: { type: "object" as const, properties: { command: { type: "string" } }, required: ["command"] },
};
const weatherTool = {
  name: "get_weather",
  description: "Current weather for a place",
  input_schema: { type: "object" as const, properties: { location: { type: "string" } }, required: ["location"] },
};
const ask = [{ role: "user" as const, content: "What is the weather in Paris?" }];

describe.skipIf(!binary)("anyclaude in front of a real llama-server", () => {
  let dir: string;
  let chatty: TinyLlamaServer;
  let toolCaller: TinyLlamaServer;
  const proxies = {} as Record<Mode, StartedProxy>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-"));
    [chatty, toolCaller] = await Promise.all([
      startTinyLlamaServer({ dir, variant: "chatty", ctx: CTX }),
      startTinyLlamaServer({ dir, variant: "tool-caller", ctx: CTX }),
    ]);
    for (const mode of MODES) {
      // kind "auto": anyclaude probes the engine itself, as it does for a user.
      proxies[mode] = await startProxy({}, [
        { id: "chatty", url: chatty.url, kind: "auto", mode },
        { id: "tool-caller", url: toolCaller.url, kind: "auto", mode },
      ]);
    }
  });

  afterAll(async () => {
    await Promise.all(MODES.map((mode) => proxies[mode]?.stop()));
    await Promise.all([chatty?.stop(), toolCaller?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test("mode auto chooses native for llama-server, which has its own /v1/messages", async () => {
    const proxy = await startProxy({}, [{ url: chatty.url }]);
    try {
      expect(proxy.server.backends).toMatchObject([{ kind: "llamacpp", mode: "native", state: "up" }]);
    } finally {
      await proxy.stop();
    }
  });

  describe.each(MODES)("%s mode", (mode) => {
    const proxy = () => proxies[mode];
    const sdk = () => new Anthropic({ baseURL: proxy().url, apiKey: "sk-test", maxRetries: 0 });

    test("both backends were probed as llama-server and are up", () => {
      expect(proxy().server.backends).toMatchObject([
        { id: "chatty", kind: "llamacpp", mode, state: "up" },
        { id: "tool-caller", kind: "llamacpp", mode, state: "up" },
      ]);
    });

    test("/v1/models lists each model with the context window llama-server reports", async () => {
      const props = (await (await fetch(`${chatty.url}/props`)).json()) as { default_generation_settings: { n_ctx: number } };
      const window = props.default_generation_settings.n_ctx;
      expect(window).toBe(CTX);
      const page = (await (await fetch(`${proxy().url}/v1/models`)).json()) as { data: Array<{ id: string; display_name: string }> };
      expect(page.data).toContainEqual(expect.objectContaining({ id: "tiny-chatty", display_name: `tiny-chatty (chatty, ${window} ctx)` }));
      expect(page.data).toContainEqual(
        expect.objectContaining({ id: "tiny-tool-caller", display_name: `tiny-tool-caller (tool-caller, ${window} ctx)` }),
      );
    });

    test("text, not streamed: the chatty model's answer as one text block that ends the turn", async () => {
      const message = await postMessage(proxy(), { model: chatty.model, max_tokens: 200, messages: ask });
      expect(message.model).toBe(chatty.model);
      expect(message.content).toEqual([{ type: "text", text: TinyModelOutput.text }]);
      expect(message.stop_reason).toBe("end_turn");
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    test("text, streamed: the SDK reads every event in order and accumulates the answer", async () => {
      const stream = sdk().messages.stream({ model: chatty.model, max_tokens: 200, messages: ask });
      const events: MessageStreamEvent[] = [];
      stream.on("streamEvent", (event) => events.push(event as MessageStreamEvent));
      const final = await stream.finalMessage();
      expect(checkAnthropicEventOrder(events)).toEqual([]);
      expect(events.filter((event) => event.type === "content_block_delta").length).toBeGreaterThan(1);
      expect(final.content).toHaveLength(1);
      expect(final.content[0]).toMatchObject({ type: "text", text: TinyModelOutput.text });
      expect(final.stop_reason).toBe("end_turn");
    });

    test("tool call, not streamed: one tool_use block with the parsed input", async () => {
      const message = await postMessage(proxy(), {
        model: toolCaller.model,
        max_tokens: 200,
        messages: ask,
        tools: [weatherTool, bashTool],
      });
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content).toHaveLength(1);
      expect(message.content[0]).toMatchObject({ type: "tool_use", name: "Bash", input: { command: TinyModelOutput.bashCommand } });
      expect((message.content[0] as { id: string }).id).not.toBe("");
    });

    test("tool call, streamed: the call goes out whole once checked, one input_json_delta the SDK parses", async () => {
      const stream = sdk().messages.stream({ model: toolCaller.model, max_tokens: 200, messages: ask, tools: [weatherTool, bashTool] });
      const events: MessageStreamEvent[] = [];
      stream.on("streamEvent", (event) => events.push(event as MessageStreamEvent));
      const final = await stream.finalMessage();
      expect(checkAnthropicEventOrder(events)).toEqual([]);
      const pieces = events.flatMap((event) =>
        event.type === "content_block_delta" && event.delta.type === "input_json_delta" ? [event.delta.partial_json] : [],
      );
      // Held until complete and checked against the tool's schema (docs/decisions/0021-tool-call-checks.md).
      expect(pieces).toEqual([JSON.stringify({ command: TinyModelOutput.bashCommand })]);
      // Anthropic opens a tool_use block with `input: {}`; llama-server's own stream leaves it out.
      const opened = events.find((event) => event.type === "content_block_start");
      expect(opened).toMatchObject({ content_block: { type: "tool_use", name: "Bash", input: {} } });
      expect(final.stop_reason).toBe("tool_use");
      expect(final.content).toHaveLength(1);
      expect(final.content[0]).toMatchObject({ type: "tool_use", name: "Bash", input: { command: TinyModelOutput.bashCommand } });
    });

    test("count_tokens is exact: the engine counts, and then evaluates exactly that many prompt tokens", async () => {
      const request = { ...(await readClaudeCodeCountRequest()), model: chatty.model };
      const response = await fetch(`${proxy().url}/v1/messages/count_tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
      expect(response.headers.get("x-anyclaude-backend")).toBe("chatty");
      const { input_tokens: counted } = (await response.json()) as { input_tokens: number };
      expect(counted).toBeGreaterThan(1000);

      const { work } = await measurePromptWork(chatty.url, () => postMessage(proxy(), { ...request, max_tokens: 1 }));
      expect(work.prompt).toBe(counted);
      // Translate mode renders the prompt from anyclaude's own OpenAI conversion, so llama-server's
      // template and tokenizer applied to that same body must give the same number. Native mode
      // hands the Anthropic body to llama-server, which converts it its own way; the check above
      // (the prompt it then evaluates) is the one that holds there.
      if (mode === "translate") expect(await tokenizeConvertedRequest(chatty, request)).toBe(counted);
    }, 120_000); // two ~10,000-token prompts on one thread

    for (const stream of [false, true]) {
      test(`the engine's prompt cache reaches the client as cache_read_input_tokens (${stream ? "streamed" : "not streamed"})`, async () => {
        const request = {
          model: chatty.model,
          max_tokens: 200,
          system: `${mode} ${stream}: ${"Answer briefly. ".repeat(40)}`,
          messages: ask,
        };
        const first = await sendAndMeasure(proxy(), chatty, request, stream);
        const second = await sendAndMeasure(proxy(), chatty, request, stream);
        expect(second.usage.cache_read_input_tokens).toBeGreaterThan(0);
        // What the client is told is what the engine did, token for token.
        expect(second.usage.cache_read_input_tokens).toBe(second.work.cached);
        expect(second.usage.input_tokens).toBe(second.work.evaluated);
        expect(second.usage.input_tokens + second.usage.cache_read_input_tokens!).toBe(first.work.prompt);
        expect(second.usage.input_tokens).toBeLessThan(first.work.prompt / 10);
      });
    }
  });
});

async function postMessage(proxy: StartedProxy, body: Partial<MessageCreateParams>): Promise<Message> {
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect({ status: response.status, text: response.status === 200 ? "" : text }).toEqual({ status: 200, text: "" });
  return JSON.parse(text) as Message;
}

/** Sends through the SDK (streamed) or plain fetch, returning the client's usage and the engine's counters. */
async function sendAndMeasure(proxy: StartedProxy, engine: TinyLlamaServer, request: Partial<MessageCreateParams>, stream: boolean) {
  const client = new Anthropic({ baseURL: proxy.url, apiKey: "sk-test", maxRetries: 0 });
  const { result, work } = await measurePromptWork(engine.url, async () =>
    stream
      ? ((await client.messages.stream(request as Anthropic.MessageStreamParams).finalMessage()) as unknown as Message)
      : postMessage(proxy, request),
  );
  return { usage: result.usage, work };
}

async function readClaudeCodeCountRequest(): Promise<CountTokensParams> {
  return Bun.file(join(CLAUDE_CODE_FIXTURES_DIR, "cc-2.1.332_count-tokens.body.json")).json();
}

/** llama-server's own count of the prompt anyclaude's translate mode would send: /apply-template, then /tokenize. */
async function tokenizeConvertedRequest(engine: TinyLlamaServer, request: CountTokensParams): Promise<number> {
  const normalized = normalizeAnthropicRequest({ ...request, max_tokens: 1 }, { stripBillingHeader: true, systemMessages: "hoist" });
  const { value: chat } = convertAnthropicRequestToOpenAIChat(normalized.value, { thinkingStyle: "chat_template_kwargs", stream: false });
  const { stream: _stream, stream_options: _options, ...body } = chat;
  const rendered = (await (await fetch(`${engine.url}/apply-template`, { method: "POST", body: JSON.stringify(body) })).json()) as {
    prompt: string;
  };
  const tokenized = (await (
    await fetch(`${engine.url}/tokenize`, {
      method: "POST",
      body: JSON.stringify({ content: rendered.prompt, add_special: true, parse_special: true }),
    })
  ).json()) as { tokens: number[] };
  return tokenized.tokens.length;
}
