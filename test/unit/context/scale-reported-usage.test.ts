import { describe, expect, test } from "bun:test";
import { computeReportedInput, scaleReportedUsage } from "../../../src/context/scale-reported-usage";
import type { Message } from "../../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";

const delta = { stop_reason: "end_turn" as const, stop_sequence: null };

describe("computeReportedInput", () => {
  test("the conversation's share of the budget, as the same share of the client's window", () => {
    expect(computeReportedInput(1_000_000, { budgetTokens: 24_576, tokensBefore: 12_288 })).toBe(500_000);
    expect(computeReportedInput(1_000_000, { budgetTokens: 24_576, tokensBefore: 24_576 })).toBe(1_000_000);
  });

  test("a trimmed conversation still reports what the client sent, beyond its window", () => {
    expect(computeReportedInput(200_000, { budgetTokens: 10_000, tokensBefore: 15_000 })).toBe(300_000);
  });

  test("without a client window nothing is reported instead", () => {
    expect(computeReportedInput(undefined, { budgetTokens: 24_576, tokensBefore: 12_288 })).toBeUndefined();
  });
});

describe("scaleReportedUsage", () => {
  test("a message's input counts add up to the reported input, each keeping its share; output stays", () => {
    const message = {
      type: "message",
      usage: { input_tokens: 100, output_tokens: 7, cache_read_input_tokens: 300, cache_creation_input_tokens: 0 },
    } as Message;
    expect(scaleReportedUsage(message, 4_000).usage).toEqual({
      input_tokens: 1_000,
      output_tokens: 7,
      cache_read_input_tokens: 3_000,
      cache_creation_input_tokens: 0,
    });
  });

  test("message_start and a message_delta that carries input are both scaled", () => {
    const start = {
      type: "message_start",
      message: { usage: { input_tokens: 50, output_tokens: 1, cache_read_input_tokens: null, cache_creation_input_tokens: null } },
    } as MessageStreamEvent;
    const end: MessageStreamEvent = {
      type: "message_delta",
      delta,
      usage: { output_tokens: 9, input_tokens: 40, cache_read_input_tokens: 60 },
    };
    expect((scaleReportedUsage(start, 500_000) as { message: Message }).message.usage).toEqual({
      input_tokens: 500_000,
      output_tokens: 1,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
    });
    expect(scaleReportedUsage(end, 500_000)).toEqual({
      ...end,
      usage: { output_tokens: 9, input_tokens: 200_000, cache_read_input_tokens: 300_000 },
    });
  });

  test("a delta with output tokens only is left alone; an input of 0 becomes the reported input", () => {
    const outputOnly: MessageStreamEvent = { type: "message_delta", delta, usage: { output_tokens: 9 } };
    expect(scaleReportedUsage(outputOnly, 500_000)).toEqual(outputOnly);
    const zero: MessageStreamEvent = { type: "message_delta", delta, usage: { output_tokens: 9, input_tokens: 0 } };
    expect(scaleReportedUsage(zero, 500_000)).toEqual({ ...zero, usage: { output_tokens: 9, input_tokens: 500_000 } });
  });

  test("events without usage pass through", () => {
    const stop: MessageStreamEvent = { type: "message_stop" };
    expect(scaleReportedUsage(stop, 500_000)).toBe(stop);
  });
});
