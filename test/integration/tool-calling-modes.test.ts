/**
 * How tools reach the model (`tools.calling`), through the real server against scripted engines:
 * detected from llama-server's `/props` and Ollama's `/api/show`, or configured per target. A model
 * without tool calling gets the tools in its prompt and no `tools` field; its text call comes back
 * as tool_use.
 */
import { afterEach, expect, test } from "bun:test";
import type { ToolsConfig } from "../../src/config/tools-config-schema";
import type { FakeEngineKind } from "../support/fake-engine-probes";
import { type FakeOpenAIBackend, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks } from "../support/fake-openai-chunks";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { CASE_TOOLS } from "../support/text-form-calls";

let backend: FakeOpenAIBackend | undefined;
let proxy: StartedProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  await backend?.stop();
  proxy = backend = undefined;
});

const TEXT_CALL = '<tool_call>\n{"name": "Bash", "arguments": {"command": "ls"}}\n</tool_call>';

async function ask(kind: FakeEngineKind, toolCalls: boolean, tools: Partial<ToolsConfig> = {}) {
  backend = startFakeOpenAIBackend(openAIStream(llamaServerChunks({ text: TEXT_CALL })), { kind, toolCalls, model: "small-model" });
  proxy = await startProxy({ tools }, [{ id: "engine", url: backend.url, kind, mode: "translate" }]);
  const body = { model: "small-model", max_tokens: 100, stream: true, tools: CASE_TOOLS, messages: [{ role: "user", content: "List." }] };
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const events = await readAnthropicEvents(response);
  const sent = backend.requestsTo("/v1/chat/completions")[0]!.body as { tools?: unknown[]; messages: Array<{ content: unknown }> };
  const calls = events.flatMap((event) =>
    event.type === "content_block_start" && event.content_block.type === "tool_use" ? [event.content_block.name] : [],
  );
  return { sent, calls, inPrompt: JSON.stringify(sent.messages[0]!.content).includes("# Tools") };
}

test.each([
  ["llamacpp", false, "prompt"],
  ["llamacpp", true, "native"],
  ["ollama", false, "prompt"],
  ["ollama", true, "native"],
] as const)("%s with tool calling %p: tools go %s", async (kind, toolCalls, expected) => {
  const { sent, calls, inPrompt } = await ask(kind, toolCalls);
  expect({ native: sent.tools !== undefined, inPrompt }).toEqual({ native: expected === "native", inPrompt: expected === "prompt" });
  expect(calls).toEqual(["Bash"]);
});

test("a target's configured calling wins over what the engine says", async () => {
  const { sent } = await ask("llamacpp", true, { targets: { "engine/small-model": { calling: "prompt" } } });
  expect(sent.tools).toBeUndefined();
});

test("the engine is asked once per model", async () => {
  const propsRequests = () => backend!.requests.filter((request) => request.path === "/props").length;
  backend = startFakeOpenAIBackend(openAIStream(llamaServerChunks({ text: "Hi." })), {
    kind: "llamacpp",
    toolCalls: false,
    model: "small-model",
  });
  proxy = await startProxy({}, [{ id: "engine", url: backend.url, kind: "llamacpp", mode: "translate" }]);
  const before = propsRequests();
  for (const content of ["One.", "Two."]) {
    const body = { model: "small-model", max_tokens: 100, tools: CASE_TOOLS, messages: [{ role: "user", content }] };
    await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }
  expect(propsRequests() - before).toBe(1);
});
