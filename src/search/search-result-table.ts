/**
 * The web search results an answer may cite, by number: those of earlier turns (decoded from the
 * blocks the client sent back) and those of this answer's searches as their result blocks pass,
 * plus how many searches this answer made, for `usage.server_tool_use`.
 */
import type { ContentBlock, MessageParam, WebSearchResultLocation } from "../protocol/anthropic/messages";
import { decodeSearchResult, encodeSearchResult, type NumberedSearchResult } from "./search-result-codec";

/** Anthropic cites at most this much of a result's text. */
const MAX_CITED_CHARS = 150;

/**
 * @example
 * const table = SearchResultTable.fromMessages(request.messages);
 * table.learn(resultBlock); // a web_search_tool_result of this answer
 * table.locate(3); // { type: "web_search_result_location", url, title, encrypted_index, cited_text }
 */
export class SearchResultTable {
  readonly #results = new Map<number, NumberedSearchResult>();
  #searches = 0;

  /** The results of the web_search_tool_result blocks in a conversation's earlier turns. */
  static fromMessages(messages: readonly MessageParam[]): SearchResultTable {
    const table = new SearchResultTable();
    for (const message of messages) {
      if (typeof message.content === "string") continue;
      for (const block of message.content as unknown as ContentBlock[]) table.#add(block);
    }
    return table;
  }

  /** The number the next search's first result gets. */
  get nextNumber(): number {
    return Math.max(0, ...this.#results.keys()) + 1;
  }

  /** Searches this answer made that returned results (a failed one is not billed by Anthropic either). */
  get searches(): number {
    return this.#searches;
  }

  get size(): number {
    return this.#results.size;
  }

  /** Takes in a block of this answer: a web_search_tool_result adds its results and counts as one search. */
  learn(block: ContentBlock): void {
    if (this.#add(block)) this.#searches++;
  }

  locate(number: number): WebSearchResultLocation | undefined {
    const result = this.#results.get(number);
    if (!result) return undefined;
    const cited = result.snippet.replace(/\s+/g, " ").trim();
    return {
      type: "web_search_result_location",
      url: result.url,
      title: result.title,
      encrypted_index: encodeSearchResult(result),
      cited_text: cited.length > MAX_CITED_CHARS ? cited.slice(0, MAX_CITED_CHARS) : cited,
    };
  }

  #add(block: ContentBlock): boolean {
    if (block.type !== "web_search_tool_result" || !Array.isArray(block.content)) return false;
    for (const item of block.content) {
      const result = decodeSearchResult(item.encrypted_content);
      if (result) this.#results.set(result.number, result);
    }
    return true;
  }
}
