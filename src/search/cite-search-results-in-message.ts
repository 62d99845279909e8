/**
 * A whole answer of a request that could search the web, as Anthropic shapes it: each statement
 * the model marked `[n]` becomes a text block of its own carrying a `web_search_result_location`
 * citation of result n, the markers taken out; the usage counts the searches made.
 */
import type { ContentBlock, Message, TextBlock } from "../protocol/anthropic/messages";
import { CitationMarkerReader } from "./citation-marker-reader";
import type { SearchResultTable } from "./search-result-table";

/**
 * The table is seeded with earlier turns' results and learns this answer's as it goes, so a
 * marker can only cite a result the model had read when it wrote it.
 *
 * @example
 * citeSearchResultsInMessage({ ...message, content: [results, { type: "text", text: "Bun 1.3 is out [1]. Try it." }] }, table);
 * // => content [results, { type: "text", text: "Bun 1.3 is out", citations: [result1] }, { type: "text", text: ". Try it." }],
 * //    usage.server_tool_use { web_search_requests: 1 }
 */
export function citeSearchResultsInMessage(message: Message, table: SearchResultTable): Message {
  const content: ContentBlock[] = [];
  for (const block of message.content) {
    table.learn(block);
    if (block.type !== "text" || table.size === 0) content.push(block);
    else content.push(...splitAtCitations(block, table));
  }
  const usage = table.searches > 0 ? { ...message.usage, server_tool_use: { web_search_requests: table.searches } } : message.usage;
  return { ...message, content, usage };
}

function splitAtCitations(block: TextBlock, table: SearchResultTable): TextBlock[] {
  const reader = new CitationMarkerReader((number) => table.locate(number));
  const pieces = [...reader.push(block.text), ...reader.flush()];
  if (!pieces.some((piece) => piece.type === "citation")) return [block];
  const blocks: TextBlock[] = [];
  let current: TextBlock | undefined;
  for (const piece of pieces) {
    if (piece.type === "citation") {
      current ??= pushed(blocks, { type: "text", text: "" });
      current.citations = [...(current.citations ?? []), ...piece.citations];
    } else if (!current || current.citations) current = pushed(blocks, { type: "text", text: piece.text });
    else current.text += piece.text;
  }
  return blocks;
}

function pushed(blocks: TextBlock[], block: TextBlock): TextBlock {
  blocks.push(block);
  return block;
}
