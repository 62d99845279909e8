/**
 * A tool anyclaude runs itself (an MCP server's tool, web search): what the model is told about
 * it, how it runs, and how a call and its result appear in the answer, as Anthropic's API shows
 * the tools it runs on its side (`mcp_tool_use` / `mcp_tool_result`, `server_tool_use` / …).
 */
import type { ContentBlock, TextBlock } from "../protocol/anthropic/messages";

/** What one run produced. Plain JSON, so the tool-result cache can keep it. */
export interface ProxyToolOutput {
  /** What the model reads, as a tool_result's content. */
  content: TextBlock[];
  /** The call failed (the tool said so, it timed out, its server went away): the model reads why. */
  isError: boolean;
  /** Anything else the tool's own result block needs (search results for web search). */
  details?: unknown;
}

export interface ProxyTool {
  /** The function name the model calls: unique among the request's tools (`mcp__docs__search`). */
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  /** Same input, same output, no effect elsewhere: its results may be cached. */
  readonly idempotent: boolean;
  /** How long a run may take before it counts as failed. */
  readonly timeoutMs: number;
  /** Bounded label for metrics (`mcp:docs/search`, `connector`): a request-defined name must not become a series. */
  readonly metricsLabel: string;
  /** Resolves with an error output rather than throwing for failures the model should read; a throw is one too. */
  run(input: unknown, signal: AbortSignal): Promise<ProxyToolOutput>;
  /** The block that shows the call, opened in a stream with `input: {}` and filled by input_json_delta. */
  describeCall(id: string, input: unknown): ContentBlock;
  describeResult(id: string, output: ProxyToolOutput): ContentBlock;
}

/** Looks tools up by the name the model calls them by. */
export type ProxyToolSet = ReadonlyMap<string, ProxyTool>;

/**
 * @example
 * const set = toProxyToolSet([echoTool]);
 * set.get("mcp__everything__echo");
 */
export function toProxyToolSet(tools: Iterable<ProxyTool>): ProxyToolSet {
  return new Map([...tools].map((tool) => [tool.name, tool]));
}

/** A text-only output, the shape most runs produce. */
export function textOutput(text: string, isError = false): ProxyToolOutput {
  return { content: [{ type: "text", text }], isError };
}
