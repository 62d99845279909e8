/**
 * A `web_search_tool_result` block a client sent back, as the tool result the model reads: the
 * same numbered, fenced text it read when the search ran, rebuilt from the results'
 * `encrypted_content` (results anyclaude did not encode show their title and URL only).
 */
import type { ToolResultBlockParam, WebSearchToolResultBlock, WebSearchToolResultErrorCode } from "../protocol/anthropic/messages";
import { describeSearchErrorForModel, describeSearchResultsForModel } from "./describe-search-results-for-model";
import { decodeSearchResult, type NumberedSearchResult } from "./search-result-codec";

/**
 * @example
 * readWebSearchToolResult({ type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [result1] });
 * // => { content: "The web search found 1 result. …[1] Bun…", is_error: false }
 */
export function readWebSearchToolResult(
  block: { type: string } & Record<string, unknown>,
): Pick<ToolResultBlockParam, "content" | "is_error"> {
  const content = (block as unknown as WebSearchToolResultBlock).content;
  if (!Array.isArray(content)) {
    const code = (content as { error_code?: WebSearchToolResultErrorCode } | null)?.error_code ?? "unavailable";
    return { content: describeSearchErrorForModel(code), is_error: true };
  }
  const results = content.map(
    (item, index): NumberedSearchResult =>
      decodeSearchResult(item?.encrypted_content) ?? {
        number: index + 1,
        url: String(item?.url ?? ""),
        title: String(item?.title ?? ""),
        snippet: "",
      },
  );
  return { content: describeSearchResultsForModel(results), is_error: false };
}
