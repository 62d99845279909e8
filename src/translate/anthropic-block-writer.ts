/**
 * Writes the content-block events of one Anthropic message in order: text and thinking grow
 * delta by delta in the open block, a tool_use is written whole (start, its input, stop) once
 * its call is complete and checked, and a new kind of content closes the block before it.
 */
import type { ContentBlock } from "../protocol/anthropic/messages";
import type { ContentBlockDelta, MessageStreamEvent } from "../protocol/anthropic/stream-events";

type ToolUseBlock = Extract<ContentBlock, { type: "tool_use" }>;

/**
 * @example
 * const writer = new AnthropicBlockWriter();
 * writer.append("text", "Listing files."); // content_block_start (text), content_block_delta
 * writer.writeToolUse({ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }); // stop, start, delta, stop
 */
export class AnthropicBlockWriter {
  private nextIndex = 0;
  private open: { index: number; type: "thinking" | "text" } | undefined;

  /** How many blocks were started. */
  get blockCount(): number {
    return this.nextIndex;
  }

  get openType(): "thinking" | "text" | undefined {
    return this.open?.type;
  }

  append(type: "thinking" | "text", content: string): MessageStreamEvent[] {
    const events: MessageStreamEvent[] = [];
    if (this.open?.type !== type) {
      events.push(...this.close());
      const block: ContentBlock = type === "thinking" ? { type, thinking: "", signature: "" } : { type, text: "" };
      this.open = { index: this.nextIndex++, type };
      events.push({ type: "content_block_start", index: this.open.index, content_block: block });
    }
    const delta: ContentBlockDelta =
      type === "thinking" ? { type: "thinking_delta", thinking: content } : { type: "text_delta", text: content };
    events.push({ type: "content_block_delta", index: this.open!.index, delta });
    return events;
  }

  writeToolUse(block: ToolUseBlock): MessageStreamEvent[] {
    const events = this.close();
    const index = this.nextIndex++;
    events.push(
      { type: "content_block_start", index, content_block: { ...block, input: {} } },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } },
      { type: "content_block_stop", index },
    );
    return events;
  }

  /** Closes the open block and gives the next index to a block its caller writes itself. */
  startOther(): { index: number; events: MessageStreamEvent[] } {
    const events = this.close();
    return { index: this.nextIndex++, events };
  }

  close(): MessageStreamEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    // Local engines cannot sign thinking; Claude Code accepts the empty signature.
    if (open.type === "thinking") {
      return [
        { type: "content_block_delta", index: open.index, delta: { type: "signature_delta", signature: "" } },
        { type: "content_block_stop", index: open.index },
      ];
    }
    return [{ type: "content_block_stop", index: open.index }];
  }
}
