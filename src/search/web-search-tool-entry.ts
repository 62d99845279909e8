/**
 * The client's declaration of Anthropic's web search server tool, as it comes in a request's
 * `tools` (`{"type":"web_search_20250305","name":"web_search",…}`), and how to find it there.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { SearchUserLocation } from "./web-search-types";

export const WEB_SEARCH_TOOL_TYPE = "web_search_20250305";

export interface WebSearchToolEntry {
  type: typeof WEB_SEARCH_TOOL_TYPE;
  name: string;
  /** Searches allowed in one answer; past it a call gets `max_uses_exceeded`. */
  max_uses?: number;
  allowed_domains?: string[] | null;
  blocked_domains?: string[] | null;
  user_location?: SearchUserLocation | null;
}

/**
 * @example
 * findWebSearchToolEntry([{ type: "web_search_20250305", name: "web_search", max_uses: 8 }]); // that entry
 * findWebSearchToolEntry([{ name: "Bash", input_schema: {} }]); // undefined
 */
export function findWebSearchToolEntry(tools: readonly ToolParam[] | undefined): WebSearchToolEntry | undefined {
  const entry = tools?.find((tool) => tool.type === WEB_SEARCH_TOOL_TYPE);
  if (!entry) return undefined;
  const maxUses = typeof entry.max_uses === "number" && entry.max_uses >= 0 ? entry.max_uses : undefined;
  return {
    type: WEB_SEARCH_TOOL_TYPE,
    name: typeof entry.name === "string" && entry.name !== "" ? entry.name : "web_search",
    ...(maxUses === undefined ? {} : { max_uses: maxUses }),
    allowed_domains: stringList(entry.allowed_domains),
    blocked_domains: stringList(entry.blocked_domains),
    user_location: (entry.user_location ?? null) as SearchUserLocation | null,
  };
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : null;
}
