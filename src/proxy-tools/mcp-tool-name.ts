/**
 * The function name a model calls an MCP server's tool by: `mcp__<server>__<tool>`, as Claude
 * Code names its own MCP tools, limited to what every engine accepts in a function name.
 */

/** OpenAI-compatible engines and Anthropic both accept `^[A-Za-z0-9_-]{1,64}$`. */
const MAX_LENGTH = 64;

/**
 * Characters outside `[A-Za-z0-9_-]` become `_`; a name beyond 64 characters is cut and ends in
 * a short hash of the whole, so two long names stay apart.
 *
 * @example
 * toMcpToolName("docs", "search"); // "mcp__docs__search"
 * toMcpToolName("my server", "get.page"); // "mcp__my_server__get_page"
 */
export function toMcpToolName(server: string, tool: string): string {
  const name = `mcp__${clean(server)}__${clean(tool)}`;
  if (name.length <= MAX_LENGTH) return name;
  const hash = Bun.hash(name).toString(36).slice(0, 8);
  return `${name.slice(0, MAX_LENGTH - hash.length - 1)}_${hash}`;
}

function clean(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, "_");
}
