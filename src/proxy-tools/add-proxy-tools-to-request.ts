/**
 * The request a model sees when anyclaude runs some tools itself: the proxy's tools as plain
 * function tools beside the client's, the client's declarations of tools the proxy now serves
 * (`mcp_toolset` entries) taken out, and earlier turns' server-tool blocks turned into tool_use /
 * tool_result pairs.
 */
import type { MessageCreateParams, ToolParam } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "../translate/translation-warning";
import { expandServerToolBlocks, type ServerToolResultReader } from "./expand-server-tool-blocks";
import type { ProxyTool } from "./proxy-tool";

export interface AddProxyToolsOptions {
  /** Client tool entries that declare tools the proxy serves, by `type` (`mcp_toolset` when the connector is on). */
  servedToolTypes?: readonly string[];
  /** Readers of server-tool result blocks other than MCP's (web search). */
  resultReaders?: Record<string, ServerToolResultReader>;
}

/** What the request offers, and which of the proxy's tools made it in. */
export interface WithProxyTools {
  request: MessageCreateParams;
  /** The proxy's tools offered to the model: a client tool of the same name wins over one. */
  offered: ProxyTool[];
}

/**
 * The input is not mutated. `tool_choice: none` keeps the proxy's tools out, as it keeps out the client's.
 *
 * @example
 * addProxyToolsToRequest({ model: "m", max_tokens: 100, messages, tools: [bash] }, [docsSearch], { servedToolTypes: ["mcp_toolset"] });
 * // => { value: { request: { …, tools: [bash, { name: "mcp__docs__search", … }] }, offered: [docsSearch] }, warnings: [] }
 */
export function addProxyToolsToRequest(
  request: MessageCreateParams,
  tools: readonly ProxyTool[],
  options: AddProxyToolsOptions = {},
): Translated<WithProxyTools> {
  const warnings: TranslationWarning[] = [];
  const served = new Set(options.servedToolTypes ?? []);
  const clientTools = (request.tools ?? []).filter((tool) => tool.type === undefined || !served.has(tool.type));
  const clientNames = new Set(clientTools.map((tool) => tool.name));
  const offered: ProxyTool[] = [];
  if (request.tool_choice?.type !== "none") {
    for (const tool of tools) {
      if (clientNames.has(tool.name)) {
        warnings.push({
          code: "proxy-tool-shadowed",
          path: "tools",
          message: `The client's own tool "${tool.name}" is offered instead of the proxy's tool of that name.`,
        });
      } else offered.push(tool);
    }
  }
  const next: MessageCreateParams = { ...request, messages: expandServerToolBlocks(request.messages, options.resultReaders) };
  const allTools: ToolParam[] = [...clientTools, ...offered.map(toToolParam)];
  if (allTools.length > 0) next.tools = allTools;
  else delete next.tools;
  return { value: { request: next, offered }, warnings };
}

function toToolParam(tool: ProxyTool): ToolParam {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}
