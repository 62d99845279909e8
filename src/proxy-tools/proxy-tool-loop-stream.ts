/**
 * The tool loop over streams: the model's events go out as they come, its calls of proxy-run
 * tools shown as the tools' own blocks, their results as blocks of their own once run, every
 * step's blocks numbered on from the last, one message_start and one message_stop in all.
 * A call block other than `server_tool_use` goes out whole once its input is complete: Claude
 * Code (2.1.332) takes input_json_delta only in tool_use and server_tool_use blocks, and ends
 * the stream as malformed on one in an `mcp_tool_use`.
 */
import { StreamedMessageAssembler } from "../cache/assemble-streamed-message";
import { ProxyError } from "../errors/proxy-error";
import type { Message, MessageCreateParams, StopReason, Usage } from "../protocol/anthropic/messages";
import type { MessageDeltaEvent, MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { addUsage, appendToolStep, findProxyToolCalls } from "./append-tool-step";
import type { ProxyTool } from "./proxy-tool";
import type { ModelAnswer, ProxyToolLoopOptions, ProxyToolLoopSummary } from "./run-proxy-tool-loop";

type StartedStream = Extract<ModelAnswer, { kind: "stream" }>;

interface Step {
  /** The model's own events, assembled: its answer, in the form the next request needs. */
  assembler: StreamedMessageAssembler;
  /** The step's message_delta, held back: the last step's closes the answer. */
  delta?: MessageDeltaEvent;
  /** Call blocks sent whole at their end, by the model's index: the tool and the input so far. */
  held: Map<number, { tool: ProxyTool; id: string; json: string }>;
}

export class ProxyToolLoopStream {
  #request: MessageCreateParams;
  readonly #options: ProxyToolLoopOptions;
  readonly #summary: ProxyToolLoopSummary = { steps: 1, calls: 0 };
  /** Blocks sent in earlier steps: this step's indexes start there. */
  #offset = 0;
  #step: Step = newStep();
  #usage: Usage | undefined;

  constructor(request: MessageCreateParams, options: ProxyToolLoopOptions) {
    this.#request = request;
    this.#options = options;
  }

  /** `first` is the first step, started; the answer's first batch is its first batch, rewritten. */
  start(first: StartedStream): StartedStream {
    return { kind: "stream", first: this.#accept(first.first), rest: this.#continue(first.rest) };
  }

  async *#continue(rest: AsyncIterator<MessageStreamEvent[]>): AsyncGenerator<MessageStreamEvent[]> {
    try {
      let events = rest;
      for (;;) {
        for (let next = await events.next(); !next.done; next = await events.next()) {
          const batch = this.#accept(next.value);
          if (batch.length > 0) yield batch;
        }
        const answer = this.#step.assembler.finish();
        if (!answer)
          throw new ProxyError(`the model's answer in step ${this.#summary.steps} of the tool loop broke off`, {
            status: 502,
            type: "api_error",
          });
        this.#usage = this.#usage ? addUsage(this.#usage, answer.usage) : answer.usage;
        const { calls, clientCalls } = findProxyToolCalls(answer, this.#options.tools);
        if (calls.length === 0 || answer.stop_reason !== "tool_use") {
          yield this.#end(answer, answer.stop_reason);
          return;
        }
        this.#summary.calls += calls.length;
        const running = calls.map((call) => this.#options.runCall(call.tool, call.input));
        const outputs = [];
        for (const [index, call] of calls.entries()) {
          const output = await running[index]!;
          outputs.push(output);
          const at = this.#offset + answer.content.length + index;
          yield [
            { type: "content_block_start", index: at, content_block: call.tool.describeResult(call.id, output) },
            { type: "content_block_stop", index: at },
          ];
        }
        this.#offset += answer.content.length + calls.length;
        if (clientCalls > 0 || this.#summary.steps >= this.#options.maxSteps) {
          yield this.#end(answer, clientCalls > 0 ? "tool_use" : "pause_turn");
          return;
        }
        this.#request = appendToolStep(this.#request, answer, calls, outputs);
        const started = await this.#options.callModel(this.#request);
        if (started.kind !== "stream") throw new Error("the tool loop asked for a stream and got a whole message");
        this.#summary.steps++;
        this.#step = newStep();
        const batch = this.#accept(started.first);
        if (batch.length > 0) yield batch;
        events = started.rest;
      }
    } finally {
      this.#options.onEnd?.(this.#summary);
    }
  }

  /** One batch of the model's events, as the client sees them. */
  #accept(events: MessageStreamEvent[]): MessageStreamEvent[] {
    const out: MessageStreamEvent[] = [];
    for (const event of events) {
      this.#step.assembler.accept(event);
      switch (event.type) {
        case "message_start":
          if (this.#summary.steps === 1) out.push(event);
          break;
        case "content_block_start": {
          const block = event.content_block;
          const tool = block.type === "tool_use" ? this.#options.tools.get(block.name) : undefined;
          const call = tool && block.type === "tool_use" ? tool.describeCall(block.id, {}) : undefined;
          if (tool && call?.type !== "server_tool_use")
            this.#step.held.set(event.index, { tool, id: (block as { id: string }).id, json: "" });
          else out.push({ ...event, index: this.#offset + event.index, content_block: call ?? block });
          break;
        }
        case "content_block_delta": {
          const held = this.#step.held.get(event.index);
          if (held && event.delta.type === "input_json_delta") held.json += event.delta.partial_json;
          else if (!held) out.push(this.#reindex(event));
          break;
        }
        case "content_block_stop": {
          const held = this.#step.held.get(event.index);
          if (!held) {
            out.push(this.#reindex(event));
            break;
          }
          const index = this.#offset + event.index;
          out.push(
            { type: "content_block_start", index, content_block: held.tool.describeCall(held.id, parseInput(held.json)) },
            { type: "content_block_stop", index },
          );
          break;
        }
        case "message_delta":
          this.#step.delta = event;
          break;
        case "message_stop":
        case "ping":
          break;
      }
    }
    return out;
  }

  #reindex<T extends { index: number }>(event: T): T {
    return this.#offset === 0 ? event : { ...event, index: this.#offset + event.index };
  }

  /** A single step ends as the model ended it; a loop, with its last stop reason and the usage of all its steps. */
  #end(answer: Message, stopReason: StopReason | null): MessageStreamEvent[] {
    const delta = this.#step.delta;
    if (this.#summary.steps === 1 && this.#summary.calls === 0 && delta) return [delta, { type: "message_stop" }];
    const usage = this.#usage ?? answer.usage;
    return [
      {
        type: "message_delta",
        delta: { stop_reason: stopReason, stop_sequence: stopReason === answer.stop_reason ? answer.stop_sequence : null },
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
        },
      },
      { type: "message_stop" },
    ];
  }
}

function newStep(): Step {
  return { assembler: new StreamedMessageAssembler(), held: new Map() };
}

/** Input that does not parse is the model's mistake; the step's assembled answer reports it, the block shows none. */
function parseInput(json: string): unknown {
  try {
    return json.trim() === "" ? {} : JSON.parse(json);
  } catch {
    return {};
  }
}
