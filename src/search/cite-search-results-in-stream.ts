/**
 * A streamed answer of a request that could search the web, as Anthropic streams it: a text
 * block ends after each statement the model marked `[n]`, with a citations_delta naming result n
 * (the marker taken out), and the text after it opens a new block; every later block's index
 * moves on by the blocks added. The final message_delta counts the searches made.
 */
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { CitationMarkerReader, type CitedPiece } from "./citation-marker-reader";
import type { SearchResultTable } from "./search-result-table";

/** The model's text block being read, and the block the client sees it in now. */
interface OpenText {
  reader: CitationMarkerReader;
  index: number;
  /** The client's block already carries a citation: the next text opens another. */
  cited: boolean;
}

/**
 * @example
 * const citing = new CiteSearchResultsInStream(table);
 * for await (const batch of events) yield citing.accept(batch);
 */
export class CiteSearchResultsInStream {
  /** Blocks added so far: the model's block n is the client's n + shift. */
  #shift = 0;
  #open: OpenText | undefined;

  constructor(private readonly table: SearchResultTable) {}

  accept(events: readonly MessageStreamEvent[]): MessageStreamEvent[] {
    const out: MessageStreamEvent[] = [];
    for (const event of events) {
      switch (event.type) {
        case "content_block_start":
          this.table.learn(event.content_block);
          if (event.content_block.type === "text" && this.table.size > 0) {
            const reader = new CitationMarkerReader((number) => this.table.locate(number));
            this.#open = { reader, index: event.index + this.#shift, cited: false };
          }
          out.push(this.#moved(event));
          break;
        case "content_block_delta":
          if (this.#open && event.delta.type === "text_delta") this.#write(this.#open.reader.push(event.delta.text), out);
          else out.push(this.#moved(event));
          break;
        case "content_block_stop":
          if (!this.#open) out.push(this.#moved(event));
          else {
            this.#write(this.#open.reader.flush(), out);
            out.push({ type: "content_block_stop", index: this.#open.index });
            this.#open = undefined;
          }
          break;
        case "message_delta":
          out.push(
            this.table.searches > 0
              ? { ...event, usage: { ...event.usage, server_tool_use: { web_search_requests: this.table.searches } } }
              : event,
          );
          break;
        default:
          out.push(event);
      }
    }
    return out;
  }

  #write(pieces: CitedPiece[], out: MessageStreamEvent[]): void {
    const open = this.#open!;
    for (const piece of pieces) {
      if (piece.type === "citation") {
        for (const citation of piece.citations)
          out.push({ type: "content_block_delta", index: open.index, delta: { type: "citations_delta", citation } });
        open.cited = true;
        continue;
      }
      if (open.cited) {
        out.push({ type: "content_block_stop", index: open.index });
        this.#shift++;
        open.index++;
        open.cited = false;
        out.push({ type: "content_block_start", index: open.index, content_block: { type: "text", text: "" } });
      }
      out.push({ type: "content_block_delta", index: open.index, delta: { type: "text_delta", text: piece.text } });
    }
  }

  #moved<T extends { index: number }>(event: T): T {
    return this.#shift === 0 ? event : { ...event, index: event.index + this.#shift };
  }
}
