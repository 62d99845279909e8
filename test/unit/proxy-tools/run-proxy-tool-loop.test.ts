/**
 * The tool loop alone, with the model call and the tools handed in: what the client sees (block
 * order, indexes, usage, stop reason) and what the model is asked next, for whole answers and
 * streams alike.
 */
import { describe, expect, test } from "bun:test";
import type { Message, MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { type ProxyTool, type ProxyToolOutput, textOutput, toProxyToolSet } from "../../../src/proxy-tools/proxy-tool";
import { continueProxyToolLoop, type ModelAnswer } from "../../../src/proxy-tools/run-proxy-tool-loop";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";
import { anthropicMessageBody, anthropicMessageEvents, type FakeAnthropicMessage } from "../../support/fake-anthropic-events";

const echo: ProxyTool = {
  name: "mcp__t__echo",
  description: "echo",
  inputSchema: { type: "object" },
  idempotent: true,
  timeoutMs: 1000,
  metricsLabel: "t/echo",
  run: async (input) => textOutput(JSON.stringify(input)),
  describeCall: (id, input) => ({ type: "mcp_tool_use", id, name: "echo", server_name: "t", input }),
  describeResult: (id, output) => ({ type: "mcp_tool_result", tool_use_id: id, is_error: output.isError, content: output.content }),
};

const request: MessageCreateParams = {
  model: "m",
  max_tokens: 100,
  messages: [{ role: "user", content: "go" }],
  tool_choice: { type: "any" },
};
const callEcho = (id: string, input: unknown = { n: 1 }): FakeAnthropicMessage => ({
  blocks: [{ type: "tool_use", name: "mcp__t__echo", input, id }],
  inputTokens: 10,
  outputTokens: 3,
});
const answerText = (text: string): FakeAnthropicMessage => ({ blocks: [{ type: "text", text }], inputTokens: 20, outputTokens: 4 });

function streamOf(message: FakeAnthropicMessage): Extract<ModelAnswer, { kind: "stream" }> {
  const [first, ...rest] = anthropicMessageEvents(message);
  return {
    kind: "stream",
    first: [first!],
    rest: (async function* () {
      for (const event of rest) yield [event];
    })(),
  };
}

/** A model that answers each step from `script`, recording what it was asked. */
function scriptedModel(script: FakeAnthropicMessage[], stream: boolean) {
  const asked: MessageCreateParams[] = [];
  const callModel = async (next: MessageCreateParams): Promise<ModelAnswer> => {
    asked.push(next);
    const reply = script[asked.length]!;
    return stream ? streamOf(reply) : { kind: "message", message: anthropicMessageBody(reply) };
  };
  const first: ModelAnswer = stream ? streamOf(script[0]!) : { kind: "message", message: anthropicMessageBody(script[0]!) };
  return { asked, callModel, first };
}

async function collect(answer: ModelAnswer): Promise<MessageStreamEvent[]> {
  if (answer.kind !== "stream") throw new Error("expected a stream");
  const events = [...answer.first];
  for (let next = await answer.rest.next(); !next.done; next = await answer.rest.next()) events.push(...next.value);
  return events.filter((event) => event.type !== "ping");
}

const options = (
  callModel: (next: MessageCreateParams) => Promise<ModelAnswer>,
  runCall = (tool: ProxyTool, input: unknown) => tool.run(input, new AbortController().signal),
) => ({
  tools: toProxyToolSet([echo]),
  callModel,
  runCall,
  maxSteps: 5,
});

describe("continueProxyToolLoop, whole messages", () => {
  test("a call is run, shown as the tool's blocks, and the model asked again with the result; usage adds up", async () => {
    const model = scriptedModel([callEcho("toolu_1"), answerText("done")], false);
    const summaries: unknown[] = [];
    const answer = await continueProxyToolLoop(model.first, request, {
      ...options(model.callModel),
      onEnd: (summary) => summaries.push(summary),
    });
    const message = (answer as { message: Message }).message;

    expect(message.content).toEqual([
      { type: "mcp_tool_use", id: "toolu_1", name: "echo", server_name: "t", input: { n: 1 } },
      { type: "mcp_tool_result", tool_use_id: "toolu_1", is_error: false, content: [{ type: "text", text: '{"n":1}' }] },
      { type: "text", text: "done" },
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 7 });
    expect(model.asked[0]!.messages.slice(1)).toEqual([
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "mcp__t__echo", input: { n: 1 } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: '{"n":1}' }] }] },
    ]);
    // `any` was honoured by the first call; the next step may answer in text.
    expect(model.asked[0]!.tool_choice).toEqual({ type: "auto" });
    expect(summaries).toEqual([{ steps: 2, calls: 1 }]);
  });

  test("an answer without proxy calls comes back as it was", async () => {
    const model = scriptedModel([answerText("hi")], false);
    const answer = await continueProxyToolLoop(model.first, request, options(model.callModel));
    expect(answer).toEqual(model.first);
    expect(model.asked).toEqual([]);
  });
});

describe("continueProxyToolLoop, streams", () => {
  test("one message_start and message_stop; the second step's blocks numbered on; the result block whole", async () => {
    const model = scriptedModel([callEcho("toolu_1"), answerText("done")], true);
    const events = await collect(await continueProxyToolLoop(model.first, request, options(model.callModel)));

    expect(checkAnthropicEventOrder(events)).toEqual([]);
    const starts = events.flatMap((event) => (event.type === "content_block_start" ? [event] : []));
    expect(starts.map((event) => [event.index, event.content_block.type])).toEqual([
      [0, "mcp_tool_use"],
      [1, "mcp_tool_result"],
      [2, "text"],
    ]);
    expect(starts[0]!.content_block).toEqual({ type: "mcp_tool_use", id: "toolu_1", name: "echo", server_name: "t", input: { n: 1 } });
    expect(events.filter((event) => event.type === "message_start")).toHaveLength(1);
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 30, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  test("a server_tool_use call streams its input as the model writes it; an MCP call is sent whole", async () => {
    const search: ProxyTool = {
      ...echo,
      describeCall: (id, input) => ({ type: "server_tool_use", id, name: "web_search", input: input as Record<string, unknown> }),
    };
    const model = scriptedModel([callEcho("toolu_1", { query: "bun" }), answerText("done")], true);
    const events = await collect(
      await continueProxyToolLoop(model.first, request, { ...options(model.callModel), tools: toProxyToolSet([search]) }),
    );
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(events[1]).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "server_tool_use", id: "toolu_1", name: "web_search", input: {} },
    });
    const deltas = events.flatMap((event) => (event.type === "content_block_delta" && event.index === 0 ? [event.delta] : []));
    expect(deltas.map((delta) => (delta as { partial_json: string }).partial_json).join("")).toBe('{"query":"bun"}');
  });

  test("parallel calls start together; results follow in call order", async () => {
    const started: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runCall = async (_tool: ProxyTool, input: unknown): Promise<ProxyToolOutput> => {
      started.push((input as { n: number }).n);
      if (started.length === 2) release();
      await gate;
      return textOutput(`#${(input as { n: number }).n}`);
    };
    const twoCalls: FakeAnthropicMessage = {
      blocks: [
        { type: "tool_use", name: "mcp__t__echo", input: { n: 1 }, id: "toolu_1" },
        { type: "tool_use", name: "mcp__t__echo", input: { n: 2 }, id: "toolu_2" },
      ],
    };
    const model = scriptedModel([twoCalls, answerText("done")], true);
    const events = await collect(await continueProxyToolLoop(model.first, request, options(model.callModel, runCall)));
    const results = events.flatMap((event) =>
      event.type === "content_block_start" && event.content_block.type === "mcp_tool_result" ? [event] : [],
    );
    expect(results.map((event) => [event.index, (event.content_block as { tool_use_id: string }).tool_use_id])).toEqual([
      [2, "toolu_1"],
      [3, "toolu_2"],
    ]);
  });

  test("the step limit ends the answer with pause_turn after running the last step's calls", async () => {
    const model = scriptedModel([callEcho("toolu_1"), callEcho("toolu_2")], true);
    const events = await collect(await continueProxyToolLoop(model.first, request, { ...options(model.callModel), maxSteps: 2 }));
    expect(events.filter((event) => event.type === "content_block_start")).toHaveLength(4);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "pause_turn" } });
    expect(model.asked).toHaveLength(1);
  });

  test("a single step without proxy calls keeps the model's own message_delta", async () => {
    const model = scriptedModel([answerText("hi")], true);
    const events = await collect(await continueProxyToolLoop(model.first, request, options(model.callModel)));
    expect(events).toEqual(anthropicMessageEvents(answerText("hi")).filter((event) => event.type !== "ping"));
  });
});
