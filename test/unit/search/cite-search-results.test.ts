/**
 * A web-searching answer cited whole and streamed: the stream, however the model's text is split,
 * assembles to the message the whole-answer path makes; results of earlier turns can be cited,
 * results not yet found cannot; the search count lands in usage.
 */
import { describe, expect, test } from "bun:test";
import { StreamedMessageAssembler } from "../../../src/cache/assemble-streamed-message";
import { replayMessageAsEvents } from "../../../src/cache/replay-message-as-events";
import type { ContentBlock, Message, MessageParam } from "../../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { citeSearchResultsInMessage } from "../../../src/search/cite-search-results-in-message";
import { CiteSearchResultsInStream } from "../../../src/search/cite-search-results-in-stream";
import { encodeSearchResult } from "../../../src/search/search-result-codec";
import { SearchResultTable } from "../../../src/search/search-result-table";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";
import { splitAtRandom } from "../../support/split-into-pieces";

const resultBlock = (id: string, numbers: number[]): ContentBlock => ({
  type: "web_search_tool_result",
  tool_use_id: id,
  content: numbers.map((number) => ({
    type: "web_search_result",
    url: `https://example.com/${number}`,
    title: `Result ${number}`,
    encrypted_content: encodeSearchResult({
      number,
      url: `https://example.com/${number}`,
      title: `Result ${number}`,
      snippet: `Snippet ${number}`,
    }),
    page_age: null,
  })),
});

function answer(content: ContentBlock[]): Message {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "m",
    content,
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: null, cache_read_input_tokens: null },
  };
}

const MESSAGE = answer([
  { type: "text", text: "Early [1] is not cited yet." },
  { type: "server_tool_use", id: "srvtoolu_a", name: "web_search", input: { query: "q" } },
  resultBlock("srvtoolu_a", [1, 2]),
  { type: "text", text: "First [1], both [1, 2]; code a[2]. Unknown [5]." },
]);

/** The message's events with each text delta cut into random pieces. */
function splitEvents(message: Message, seed: number): MessageStreamEvent[] {
  return replayMessageAsEvents(message).flatMap((event) =>
    event.type === "content_block_delta" && event.delta.type === "text_delta"
      ? splitAtRandom(event.delta.text, seed, 4).map((text) => ({ ...event, delta: { type: "text_delta" as const, text } }))
      : [event],
  );
}

describe("the whole answer", () => {
  test("markers become cited blocks once their result was found; others stay text; the search is counted", () => {
    const cited = citeSearchResultsInMessage(MESSAGE, new SearchResultTable());
    expect(cited.content.filter((block) => block.type === "text")).toEqual([
      { type: "text", text: "Early [1] is not cited yet." },
      { type: "text", text: "First", citations: [expect.objectContaining({ url: "https://example.com/1", cited_text: "Snippet 1" })] },
      {
        type: "text",
        text: ", both",
        citations: [expect.objectContaining({ url: "https://example.com/1" }), expect.objectContaining({ url: "https://example.com/2" })],
      },
      { type: "text", text: "; code a[2]. Unknown [5]." },
    ]);
    expect(cited.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  test("results of earlier turns can be cited, and the next search numbers on from them", () => {
    const earlier: MessageParam[] = [{ role: "assistant", content: [resultBlock("srvtoolu_0", [1, 2, 3]) as never] }];
    const table = SearchResultTable.fromMessages(earlier);
    expect(table.nextNumber).toBe(4);
    const cited = citeSearchResultsInMessage(answer([{ type: "text", text: "As found before [3]." }]), table);
    expect(cited.content).toEqual([
      { type: "text", text: "As found before", citations: [expect.objectContaining({ url: "https://example.com/3" })] },
      { type: "text", text: "." },
    ]);
    expect(cited.usage.server_tool_use).toBeUndefined();
  });
});

describe("the stream", () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])("split with seed %d: Anthropic's order, and it assembles to the whole answer's message", (seed) => {
    const citing = new CiteSearchResultsInStream(new SearchResultTable());
    const events = splitEvents(MESSAGE, seed).flatMap((event) => citing.accept([event]));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    const assembler = new StreamedMessageAssembler();
    for (const event of events) assembler.accept(event);
    expect(assembler.finish()).toEqual(citeSearchResultsInMessage(MESSAGE, new SearchResultTable()));
  });
});
