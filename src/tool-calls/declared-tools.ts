/**
 * The tools a request declares, looked up the forgiving way small models need: a call to
 * "bash" or "web_fetch" means the declared "Bash" or "WebFetch" when exactly one tool fits.
 */
import type { ToolParam } from "../protocol/anthropic/messages";

export interface DeclaredTools {
  readonly count: number;
  readonly names: readonly string[];
  /** The declared tool `name` means, and whether it had to be matched loosely; undefined when none fits. */
  find(name: string): { tool: ToolParam; exact: boolean } | undefined;
}

/** Case and the separators `_`, `-`, space and `.` do not count. */
function looseKey(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]/g, "");
}

/**
 * @example
 * const tools = indexDeclaredTools([{ name: "WebFetch", input_schema: { type: "object" } }]);
 * tools.find("web_fetch"); // { tool: { name: "WebFetch", ... }, exact: false }
 */
export function indexDeclaredTools(tools: readonly ToolParam[]): DeclaredTools {
  const byName = new Map<string, ToolParam>();
  const byLooseKey = new Map<string, ToolParam | null>();
  for (const tool of tools) {
    if (typeof tool.name !== "string") continue;
    byName.set(tool.name, tool);
    const key = looseKey(tool.name);
    // Two tools that differ only in case or separators: a loose match would be a guess.
    byLooseKey.set(key, byLooseKey.has(key) ? null : tool);
  }
  return {
    count: byName.size,
    names: [...byName.keys()],
    find(name) {
      const tool = byName.get(name);
      if (tool) return { tool, exact: true };
      const loose = byLooseKey.get(looseKey(name));
      return loose ? { tool: loose, exact: false } : undefined;
    },
  };
}
