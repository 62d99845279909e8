/**
 * Rebuilds the whole message from a live answer's events as they pass through, so a streamed
 * answer can be stored once it completed. It only accepts a stream that followed the protocol
 * to its end (message_stop, every block closed, tool input valid JSON); anything else yields
 * nothing, and nothing is stored.
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";

interface OpenBlock {
  block: ContentBlock;
  /** Tool input as streamed so far; parsed at content_block_stop. */
  json: string;
}

/**
 * @example
 * const assembler = new StreamedMessageAssembler();
 * for (const event of events) assembler.accept(event);
 * assembler.finish(); // the Message, or undefined when the stream did not complete
 */
export class StreamedMessageAssembler {
  #message: Message | undefined;
  #open: OpenBlock | undefined;
  #stopped = false;
  #broken = false;

  /** Never throws: it sits in a live stream's path, which an odd event must not break. */
  accept(event: MessageStreamEvent): void {
    if (this.#broken) return;
    try {
      this.#apply(event);
    } catch {
      this.#break(); // an event of a shape the assembler cannot follow: nothing will be stored
    }
  }

  /** The message when the stream ended with message_stop and was well formed throughout. */
  finish(): Message | undefined {
    return this.#stopped && !this.#broken && !this.#open ? this.#message : undefined;
  }

  #apply(event: MessageStreamEvent): void {
    switch (event.type) {
      case "message_start":
        this.#message = { ...event.message, content: [], usage: { ...event.message.usage } };
        return;
      case "content_block_start":
        if (!this.#message || this.#open || event.index !== this.#message.content.length) return this.#break();
        this.#open = { block: { ...event.content_block }, json: "" };
        return;
      case "content_block_delta":
        if (!this.#open || event.index !== this.#message!.content.length) return this.#break();
        return this.#applyDelta(this.#open, event.delta);
      case "content_block_stop":
        return this.#closeBlock(event.index);
      case "message_delta": {
        if (!this.#message || this.#open) return this.#break();
        this.#message.stop_reason = event.delta.stop_reason;
        this.#message.stop_sequence = event.delta.stop_sequence;
        const usage = this.#message.usage as unknown as Record<string, unknown>;
        for (const [field, value] of Object.entries(event.usage)) if (value !== null && value !== undefined) usage[field] = value;
        return;
      }
      case "message_stop":
        this.#stopped = true;
        return;
      case "ping":
        return;
    }
  }

  #applyDelta(open: OpenBlock, delta: Extract<MessageStreamEvent, { type: "content_block_delta" }>["delta"]): void {
    const block = open.block;
    if (delta.type === "text_delta" && block.type === "text") block.text += delta.text;
    else if (delta.type === "input_json_delta" && hasInput(block)) open.json += delta.partial_json;
    else if (delta.type === "thinking_delta" && block.type === "thinking") block.thinking += delta.thinking;
    else if (delta.type === "signature_delta" && block.type === "thinking") block.signature += delta.signature;
    else if (delta.type === "citations_delta" && block.type === "text") block.citations = [...(block.citations ?? []), delta.citation];
    else this.#break();
  }

  #closeBlock(index: number): void {
    const open = this.#open;
    if (!open || index !== this.#message!.content.length) return this.#break();
    if (hasInput(open.block) && open.json.trim() !== "") {
      try {
        open.block.input = JSON.parse(open.json);
      } catch {
        return this.#break(); // the client got input it cannot parse either: not an answer to replay
      }
    }
    this.#message!.content.push(open.block);
    this.#open = undefined;
  }

  #break(): void {
    this.#broken = true;
  }
}

/** Blocks whose input streams as input_json_delta: the model's calls, and those of tools the proxy ran. */
function hasInput(block: ContentBlock): block is Extract<ContentBlock, { input: unknown }> {
  return block.type === "tool_use" || block.type === "server_tool_use" || block.type === "mcp_tool_use";
}
