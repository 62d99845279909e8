/**
 * Slims one tool definition: its description and its parameters' descriptions. Names, types,
 * `required`, enums and every other keyword of the schema stay exactly as they were.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { TranslationWarning } from "../translate/translation-warning";
import { mapSchemaDescriptions } from "./map-schema-descriptions";
import type { ProseRule } from "./match-prompt-rules";
import type { PromptRemoval } from "./prompt-removal";
import type { PromptTier } from "./prompt-tier";
import { rewriteProse } from "./rewrite-prose";

export interface RewrittenTool {
  tool: ToolParam;
  removed: PromptRemoval[];
  /** Critical texts: each is still in the tool's description or one of its parameters'. */
  markers: string[];
  warnings: TranslationWarning[];
}

/**
 * @example
 * rewriteToolDefinition(bashTool, { tier: "moderate", rules: [] }).tool.description;
 * // => the first paragraph, then the `# Git` rules
 */
export function rewriteToolDefinition(
  tool: ToolParam,
  options: { tier: Exclude<PromptTier, "off">; rules: readonly ProseRule[] },
): RewrittenTool {
  const removed: PromptRemoval[] = [];
  const markers: string[] = [];
  const warnings: TranslationWarning[] = [];
  const rewrite = (text: string, role: "tool-description" | "parameter", path: string) => {
    const result = rewriteProse(text, { tier: options.tier, role, path, rules: options.rules, seen: new Set() });
    // A description never vanishes: the tool or parameter would lose what it is for.
    if (result.text === "") return text;
    removed.push(...result.removed);
    markers.push(...result.markers);
    warnings.push(...result.warnings);
    return result.text;
  };
  const base = `tools.${tool.name}`;
  const slimmed: ToolParam = { ...tool };
  if (typeof tool.description === "string") slimmed.description = rewrite(tool.description, "tool-description", `${base}.description`);
  if (isObject(tool.input_schema)) {
    slimmed.input_schema = mapSchemaDescriptions(tool.input_schema, (text, path) =>
      rewrite(text, "parameter", `${base}.input_schema${path === "" ? "" : `.${path}`}.description`),
    );
  }
  return { tool: slimmed, removed, markers, warnings };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
