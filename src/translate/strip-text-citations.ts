/**
 * Removes `citations` from the text blocks of earlier turns. They come back in a follow-up to an
 * answer anyclaude cited from web search; a model reads the text, never the citations (llama-server
 * renders text blocks without them), their `encrypted_index` is anyclaude's own, which Anthropic
 * would not accept, and an engine that validates block fields strictly could refuse them.
 */
import type { ContentBlockParam, MessageParam } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Messages without cited text are returned as they are (the same objects, so what the JSON
 * parser shares stays shared); one warning names the first cited block and the count.
 *
 * @example
 * stripTextCitations([{ role: "assistant", content: [{ type: "text", text: "Bun 1.3 is out", citations: [{ url: "https://bun.sh/" }] }] }]);
 * // => { value: [{ role: "assistant", content: [{ type: "text", text: "Bun 1.3 is out" }] }],
 * //      warnings: [{ code: "dropped-field", path: "messages[0].content[0].citations", message: "…" }] }
 */
export function stripTextCitations(messages: MessageParam[]): Translated<MessageParam[]> {
  let first: string | undefined;
  let count = 0;
  const stripped = messages.map((message, index) => {
    if (typeof message.content === "string" || !message.content.some(isCitedText)) return message;
    const content = message.content.map((block, blockIndex): ContentBlockParam => {
      if (!isCitedText(block)) return block;
      first ??= `messages[${index}].content[${blockIndex}].citations`;
      count++;
      const { citations: _citations, ...rest } = block;
      return rest;
    });
    return { ...message, content };
  });
  if (first === undefined) return { value: messages, warnings: [] };
  const warning: TranslationWarning = {
    code: "dropped-field",
    path: first,
    message: `Dropped \`citations\` from ${count} text block${count === 1 ? "" : "s"}: a model reads the text alone.`,
  };
  return { value: stripped, warnings: [warning] };
}

function isCitedText(block: ContentBlockParam): block is Extract<ContentBlockParam, { type: "text" }> {
  // Blocks come from a parsed body: a malformed one is the conversion's to report, never a throw here.
  return typeof block === "object" && block !== null && block.type === "text" && block.citations !== undefined;
}
