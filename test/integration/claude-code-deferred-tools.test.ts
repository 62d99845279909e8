/**
 * The real Claude Code CLI 2.1.332 loads a deferred tool through ToolSearch and runs it, through
 * anyclaude in translate mode. The scripted engine behaves like llama-server's tool grammar: it
 * can only call a tool the request declares, so the run works only if anyclaude declares the
 * tool once ToolSearch has loaded it.
 */
import { afterEach, expect, test } from "bun:test";
import type { ToolResultBlockParam } from "../../src/protocol/anthropic/messages";
import { recordClaudeCodeTurns } from "../engines/record-claude-code-turns";
import type { FakeScript } from "../support/fake-backend-server";
import { openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks } from "../support/fake-openai-chunks";
import { runClaudeCode } from "../support/run-claude-code";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const DEFERRED_TOOL = "CronList";
const FINAL_TEXT = "There are no scheduled jobs.";

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

interface ChatBody {
  tools?: Array<{ function: { name: string } }>;
  messages: Array<{ role: string; content?: unknown; tool_calls?: Array<{ function: { name: string } }> }>;
}

/** ToolSearch first; then the deferred tool, if and only if it is declared; then the final answer. */
const engine: FakeScript = (request) => {
  const body = request.body as ChatBody;
  const declared = (body.tools ?? []).map((tool) => tool.function.name);
  if (declared.length === 0) return openAIStream(llamaServerChunks({ text: "title" }));
  const called = body.messages.flatMap((message) => message.tool_calls ?? []).map((call) => call.function.name);
  if (!called.includes("ToolSearch")) {
    return openAIStream(llamaServerChunks({ toolCalls: [{ name: "ToolSearch", args: { query: `select:${DEFERRED_TOOL}` } }] }));
  }
  if (!called.includes(DEFERRED_TOOL)) {
    if (!declared.includes(DEFERRED_TOOL)) return openAIStream(llamaServerChunks({ text: `${DEFERRED_TOOL} is not declared.` }));
    return openAIStream(llamaServerChunks({ toolCalls: [{ name: DEFERRED_TOOL, args: {} }] }));
  }
  return openAIStream(llamaServerChunks({ text: FINAL_TEXT }));
};

test("ToolSearch loads CronList, anyclaude declares it to the engine, the engine calls it, Claude Code runs it", async () => {
  const backend = startFakeOpenAIBackend(engine);
  stops.push(() => backend.stop());
  const proxy: StartedProxy = await startProxy({}, [{ url: backend.url, kind: "llamacpp", mode: "translate" }]);
  stops.push(() => proxy.stop());
  const recorder = recordClaudeCodeTurns(proxy.url);
  stops.push(async () => recorder.stop());

  const run = await runClaudeCode({
    baseUrl: recorder.url,
    prompt: "list the scheduled jobs",
    timeoutMs: 60_000,
    args: ["--allowedTools", `ToolSearch,${DEFERRED_TOOL}`],
  });
  expect({ exitCode: run.exitCode, stderr: run.stderr, result: run.json?.result }).toEqual({ exitCode: 0, stderr: "", result: FINAL_TEXT });

  // Claude Code's last request carries CronList's result: the tool ran.
  const last = recorder.turns
    .map((turn) => turn.body)
    .filter((body) => (body.tools ?? []).length > 0)
    .at(-1)!;
  const results = last.messages.flatMap((message) =>
    typeof message.content === "string"
      ? []
      : message.content.filter((block): block is ToolResultBlockParam => block.type === "tool_result"),
  );
  expect(results).toHaveLength(2);
  expect(results[1]!.is_error ?? false).toBe(false);
  expect(last.tools!.find((tool) => tool.name === DEFERRED_TOOL)).toMatchObject({ defer_loading: true });

  // The engine saw CronList declared, last, from the turn after ToolSearch on.
  const engineRequests = backend.requestsTo("/v1/chat/completions").map((request) => request.body as ChatBody);
  const main = engineRequests.filter((body) => (body.tools ?? []).length > 0);
  expect(main.map((body) => body.tools!.at(-1)!.function.name)).toEqual(["Write", DEFERRED_TOOL, DEFERRED_TOOL]);
}, 90_000);
