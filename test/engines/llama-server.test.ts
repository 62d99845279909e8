// Real-engine tier: the generated tiny models served by a real llama-server (built by `bun run engines`).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput, writeGguf } from "../support/generate-gguf";
import { type RunningLlamaServer, startLlamaServer } from "../support/llama-server";
import { parseSse } from "../support/parse-sse";
import { TINY_MODEL_CHAT_TEMPLATE } from "../support/tiny-model-chat-template";

const binary = findLlamaServer();
if (!binary) console.log("[engines] llama-server is not built: skipping the real-engine tests (build it with `bun run engines`)");

const CTX = 32768;
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a place",
    parameters: {
      type: "object",
      properties: { location: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
      required: ["location"],
    },
  },
};
const bashTool = {
  type: "function",
  function: {
    name: "Bash",
    description: "Run a shell command",
    parameters: { type: "object", properties: { command: { type: "string" }, timeout: { type: "number" } }, required: ["command"] },
  },
};
const ask = [{ role: "user", content: "What is the weather in Paris?" }];

// biome-ignore lint/suspicious/noExplicitAny: llama-server answers of many shapes, read field by field in each test
async function post(server: RunningLlamaServer, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function postStream(
  server: RunningLlamaServer,
  path: string,
  body: unknown,
): Promise<Array<{ event: string | undefined; data: string }>> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const events = [];
  for await (const event of parseSse(response.body!)) events.push(event);
  return events;
}

describe.skipIf(!binary)("llama-server with the generated tiny models", () => {
  let dir: string;
  let chatty: RunningLlamaServer;
  let toolCaller: RunningLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-"));
    await writeGguf(join(dir, "chatty.gguf"), "chatty");
    await writeGguf(join(dir, "tool-caller.gguf"), "tool-caller");
    [chatty, toolCaller] = await Promise.all([
      startLlamaServer({ modelPath: join(dir, "chatty.gguf"), ctx: CTX }),
      startLlamaServer({ modelPath: join(dir, "tool-caller.gguf"), ctx: CTX }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([chatty?.stop(), toolCaller?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test("/v1/models lists the loaded model", async () => {
    const models = (await (await fetch(`${chatty.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    // Without --alias the model's id is the path it was loaded from.
    expect(models.data.map((m) => m.id)).toEqual([join(dir, "chatty.gguf")]);
  });

  test("/props reports the slot context and the model's chat template", async () => {
    const props = (await (await fetch(`${chatty.url}/props`)).json()) as {
      default_generation_settings: { n_ctx: number };
      chat_template: string;
    };
    expect(props.default_generation_settings.n_ctx).toBe(CTX);
    expect(props.chat_template).toBe(TINY_MODEL_CHAT_TEMPLATE);
  });

  test("the chatty model answers a short text that finishes on its own, the same every time", async () => {
    for (let i = 0; i < 2; i++) {
      const reply = await post(chatty, "/v1/chat/completions", { messages: ask, temperature: 1 });
      expect(reply.choices[0].message.content).toBe(TinyModelOutput.text);
      expect(reply.choices[0].finish_reason).toBe("stop");
    }
  });

  test("the chatty model stops on max_tokens with finish_reason length", async () => {
    const reply = await post(chatty, "/v1/chat/completions", { messages: ask, max_tokens: 2 });
    expect(reply.choices[0].message.content).toBe("Hello from");
    expect(reply.choices[0].finish_reason).toBe("length");
  });

  test("offered tools with tool_choice auto, the chatty model still answers in text", async () => {
    const reply = await post(chatty, "/v1/chat/completions", { messages: ask, tools: [weatherTool], tool_choice: "auto" });
    expect(reply.choices[0].message.content).toBe(TinyModelOutput.text);
    expect(reply.choices[0].message.tool_calls).toBeUndefined();
  });

  for (const toolChoice of ["auto", "required"]) {
    test(`the tool-caller returns a tool_calls entry, not text (tool_choice ${toolChoice})`, async () => {
      const reply = await post(toolCaller, "/v1/chat/completions", { messages: ask, tools: [weatherTool], tool_choice: toolChoice });
      const choice = reply.choices[0];
      expect(choice.finish_reason).toBe("tool_calls");
      expect(choice.message.content ?? "").toBe("");
      expect(choice.message.tool_calls).toHaveLength(1);
      expect(choice.message.tool_calls[0].type).toBe("function");
      expect(choice.message.tool_calls[0].function.name).toBe("get_weather");
      expect(JSON.parse(choice.message.tool_calls[0].function.arguments)).toEqual({ location: TinyModelOutput.stringArgument });
    });
  }

  test("given a Bash tool among others, the tool-caller runs `echo hi`", async () => {
    const reply = await post(toolCaller, "/v1/chat/completions", { messages: ask, tools: [weatherTool, bashTool] });
    const call = reply.choices[0].message.tool_calls[0].function;
    expect(call.name).toBe("Bash");
    expect(JSON.parse(call.arguments)).toEqual({ command: TinyModelOutput.bashCommand });
  });

  test("the tool-caller's raw output is the documented Hermes block (token texts via logprobs)", async () => {
    const reply = await post(toolCaller, "/v1/chat/completions", { messages: ask, tools: [bashTool], logprobs: true });
    const raw = reply.choices[0].logprobs.content.map((t: { token: string }) => t.token).join("");
    expect(raw).toBe(TinyModelOutput.toolCall);
  });

  test("offered no tools, the tool-caller answers in text", async () => {
    const reply = await post(toolCaller, "/v1/chat/completions", { messages: ask });
    expect(reply.choices[0].message.content).toBe(TinyModelOutput.text);
  });

  test("under tool_choice required the chatty model writes its text, then a tool call", async () => {
    const reply = await post(chatty, "/v1/chat/completions", { messages: ask, tools: [weatherTool], tool_choice: "required" });
    expect(reply.choices[0].message.content).toBe(TinyModelOutput.text);
    expect(reply.choices[0].message.tool_calls[0].function.name).toBe("get_weather");
  });

  test("after a tool result the tool-caller answers in text", async () => {
    const messages = [
      ...ask,
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny, 21 C" },
    ];
    const reply = await post(toolCaller, "/v1/chat/completions", { messages, tools: [weatherTool] });
    expect(reply.choices[0].message.content).toBe(TinyModelOutput.text);
    expect(reply.choices[0].finish_reason).toBe("stop");
  });

  test("streamed tool call: the name first, then argument deltas that add up to the arguments", async () => {
    const events = await postStream(toolCaller, "/v1/chat/completions", { messages: ask, tools: [weatherTool], stream: true });
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0].function.name).toBe("get_weather");
    expect(calls[0].id).toBeString();
    const argumentDeltas = calls
      .map((c: { function: { arguments?: string } }) => c.function.arguments ?? "")
      .filter((a: string) => a !== "");
    expect(argumentDeltas.length).toBeGreaterThan(3);
    expect(argumentDeltas.join("")).toBe(JSON.stringify({ location: TinyModelOutput.stringArgument }));
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(["tool_calls"]);
  });

  const messagesTools = [{ name: "get_weather", description: "Current weather", input_schema: weatherTool.function.parameters }];

  test("/v1/messages: the tool-caller's call comes back as a tool_use block", async () => {
    const reply = await post(toolCaller, "/v1/messages", {
      model: "tiny",
      max_tokens: 200,
      messages: ask,
      tools: messagesTools,
      tool_choice: { type: "any" },
    });
    expect(reply.stop_reason).toBe("tool_use");
    expect(reply.content).toHaveLength(1);
    expect(reply.content[0]).toMatchObject({ type: "tool_use", name: "get_weather", input: { location: TinyModelOutput.stringArgument } });
  });

  test("/v1/messages streamed: tool_use block with input_json_delta events", async () => {
    const events = await postStream(toolCaller, "/v1/messages", {
      model: "tiny",
      max_tokens: 200,
      messages: ask,
      tools: messagesTools,
      stream: true,
    });
    const types = events.map((e) => e.event);
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    const data = events.map((e) => JSON.parse(e.data));
    expect(data.find((d) => d.type === "content_block_start").content_block).toMatchObject({ type: "tool_use", name: "get_weather" });
    const json = data
      .filter((d) => d.delta?.type === "input_json_delta")
      .map((d) => d.delta.partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ location: TinyModelOutput.stringArgument });
    expect(data.find((d) => d.type === "message_delta").delta.stop_reason).toBe("tool_use");
  });

  test("/v1/messages: the chatty model answers a text block that ends the turn", async () => {
    const reply = await post(chatty, "/v1/messages", { model: "tiny", max_tokens: 200, messages: ask });
    expect(reply.content).toEqual([{ type: "text", text: TinyModelOutput.text }]);
    expect(reply.stop_reason).toBe("end_turn");
  });

  test("Claude Code's recorded requests: Bash `echo hi` first, a text answer after the tool result", async () => {
    const fixtures = join(import.meta.dir, "../fixtures/claude-code-2.1.332");
    const first = await Bun.file(join(fixtures, "cc-2.1.332_p-say-hi_stream.body.json")).json();
    const events = await postStream(toolCaller, "/v1/messages", first);
    const data = events.map((e) => JSON.parse(e.data));
    expect(data.find((d) => d.type === "content_block_start").content_block).toMatchObject({ type: "tool_use", name: "Bash" });
    const json = data
      .filter((d) => d.delta?.type === "input_json_delta")
      .map((d) => d.delta.partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ command: TinyModelOutput.bashCommand });

    const followup = await Bun.file(join(fixtures, "cc-2.1.332_p-bash-tool-result_followup.body.json")).json();
    const reply = await post(toolCaller, "/v1/messages", { ...followup, stream: false });
    expect(reply.content).toEqual([{ type: "text", text: TinyModelOutput.text }]);
  }, 120_000); // two ~17,000-token prompts on one thread
});
