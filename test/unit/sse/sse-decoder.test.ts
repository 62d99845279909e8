import { describe, expect, test } from "bun:test";
import { LineDecoder } from "../../../src/sse/line-decoder";
import { SseDecoder, type SseEvent } from "../../../src/sse/sse-decoder";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `input` split at every possible byte position and checks the result never changes. */
function decodeInEveryTwoPieces(input: Uint8Array): SseEvent[][] {
  const results: SseEvent[][] = [];
  for (let cut = 0; cut <= input.length; cut++) {
    const decoder = new SseDecoder();
    results.push([...decoder.push(input.slice(0, cut)), ...decoder.push(input.slice(cut)), ...decoder.flush()]);
  }
  return results;
}

describe("LineDecoder", () => {
  test("splits on \\n, \\r\\n and \\r", () => {
    const decoder = new LineDecoder();
    expect([...decoder.push(bytes("a\nb\r\nc\rd")), ...decoder.flush()]).toEqual(["a", "b", "c", "d"]);
  });

  test("a \\r\\n split across chunks is one line break, not two", () => {
    const decoder = new LineDecoder();
    expect(decoder.push(bytes("a\r"))).toEqual([]);
    expect(decoder.push(bytes("\nb\n"))).toEqual(["a", "b"]);
    expect(decoder.flush()).toEqual([]);
  });

  test("a UTF-8 character split across chunks arrives whole", () => {
    const encoded = bytes("héllo → 世界\n");
    const decoder = new LineDecoder();
    const lines: string[] = [];
    for (const byte of encoded) lines.push(...decoder.push(Uint8Array.of(byte)));
    expect([...lines, ...decoder.flush()]).toEqual(["héllo → 世界"]);
  });
});

describe("SseDecoder", () => {
  const stream = bytes(
    ': comment\nevent: message_start\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\nevent: ping\r\ndata: {}\r\n\r\ndata:no-space\n\n',
  );
  const expected: SseEvent[] = [
    { event: "message_start", data: '{"a":1}' },
    { event: undefined, data: "line one\nline two" },
    { event: "ping", data: "{}" },
    { event: undefined, data: "no-space" },
  ];

  test("decodes events, comments, multi-line data and CRLF", () => {
    const decoder = new SseDecoder();
    expect([...decoder.push(stream), ...decoder.flush()]).toEqual(expected);
  });

  test("gives the same events wherever the chunks are cut", () => {
    for (const result of decodeInEveryTwoPieces(stream)) expect(result).toEqual(expected);
  });

  test("an event with no closing blank line is delivered at the end; an event: line alone is not an event", () => {
    const decoder = new SseDecoder();
    expect(decoder.push(bytes("event: x\n\ndata: last"))).toEqual([]);
    expect(decoder.flush()).toEqual([{ event: undefined, data: "last" }]);
  });
});
