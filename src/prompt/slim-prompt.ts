/**
 * Slims a request's system prompt and tool definitions to a tier: the pure whole of prompt
 * slimming, before the gate (check-slimmed-prompt.ts) and the memo (prompt-optimizer.ts).
 */
import type { TextBlockParam, ToolParam } from "../protocol/anthropic/messages";
import { measureJsonLength } from "../translate/estimate-input-tokens";
import type { TranslationWarning } from "../translate/translation-warning";
import { addDeferredToolsNote, chooseToolsToDefer, describeDeferredTools } from "./defer-tools";
import type { PromptRules } from "./match-prompt-rules";
import type { PromptRemoval } from "./prompt-removal";
import { type PromptTier, reachesTier } from "./prompt-tier";
import { rewriteProse } from "./rewrite-prose";
import { rewriteToolDefinition } from "./rewrite-tool-definition";

export interface PromptParts {
  system: string | TextBlockParam[] | undefined;
  tools: ToolParam[] | undefined;
}

export interface SlimPromptSettings {
  tier: Exclude<PromptTier, "off">;
  rules: PromptRules;
  /** Tools `aggressive` defers when ToolSearch can load them. */
  deferTools: readonly string[];
  /** Tools never deferred or dropped: loaded or called in the conversation, or named by tool_choice. */
  inUse: ReadonlySet<string>;
}

/** Text that must be in the result: in the system prompt, or in the prose of the named tool. */
interface PromptMarker {
  tool?: string;
  text: string;
}

export interface SlimmedParts extends PromptParts {
  removed: PromptRemoval[];
  markers: PromptMarker[];
  /** Tools left out for `prompt.rules`. */
  dropped: string[];
  deferred: string[];
  warnings: TranslationWarning[];
}

/**
 * @example
 * slimPrompt({ system, tools }, { tier: "moderate", rules: compilePromptRules([]), deferTools: [], inUse: new Set() });
 * // => { system, tools, removed: [{ path: "system[2]", reason: "example", ... }, ...], markers: [...], deferred: [], warnings: [] }
 */
export function slimPrompt(parts: PromptParts, settings: SlimPromptSettings): SlimmedParts {
  const removed: PromptRemoval[] = [];
  const markers: PromptMarker[] = [];
  const warnings: TranslationWarning[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  const rewrite = (text: string, path: string) => {
    const result = rewriteProse(text, { tier: settings.tier, role: "system", path, rules: settings.rules.prose, seen });
    removed.push(...result.removed);
    warnings.push(...result.warnings);
    for (const marker of result.markers) markers.push({ text: marker });
    return result.text;
  };

  let system: PromptParts["system"];
  if (typeof parts.system === "string") system = rewrite(parts.system, "system") || undefined;
  else if (parts.system !== undefined) system = rewriteBlocks(parts.system, rewrite);

  const isDropped = (tool: ToolParam) => settings.rules.tools.get(tool.name) === "drop" && !settings.inUse.has(tool.name);
  const deferred = reachesTier(settings.tier, "aggressive") ? chooseDeferred(parts.tools ?? [], isDropped, settings) : [];
  let tools: ToolParam[] | undefined;
  if (parts.tools !== undefined) {
    tools = [];
    for (const tool of parts.tools) {
      if (isDropped(tool)) {
        dropped.push(tool.name);
        removed.push({ path: `tools.${tool.name}`, reason: "rule", chars: measureJsonLength(tool) });
      } else if (deferred.includes(tool.name)) {
        removed.push({ path: `tools.${tool.name}`, reason: "deferred", chars: measureJsonLength(tool) });
      } else if (settings.rules.tools.get(tool.name) === "keep" || tool.input_schema === undefined) tools.push(tool);
      else {
        const rewritten = rewriteToolDefinition(tool, { tier: settings.tier, rules: settings.rules.prose });
        removed.push(...rewritten.removed);
        warnings.push(...rewritten.warnings);
        for (const marker of rewritten.markers) markers.push({ tool: tool.name, text: marker });
        tools.push(rewritten.tool);
      }
    }
  }
  if (deferred.length > 0) {
    const note = describeDeferredTools(deferred);
    system = system === undefined ? note : addDeferredToolsNote(system, note);
    markers.push({ text: note });
  }
  return { system, tools, removed, markers, dropped, deferred, warnings };
}

/** `aggressive` defers the listed tools that stay (not dropped by a rule, not kept by one, not in use). */
function chooseDeferred(tools: readonly ToolParam[], isDropped: (tool: ToolParam) => boolean, settings: SlimPromptSettings): string[] {
  const keptByRule = [...settings.rules.tools].filter(([, action]) => action === "keep").map(([name]) => name);
  const keep = new Set([...settings.inUse, ...keptByRule]);
  return chooseToolsToDefer(
    tools.filter((tool) => !isDropped(tool)),
    { deferTools: settings.deferTools, keep },
  );
}

/**
 * A block left empty goes; its `cache_control` breakpoint moves to the block before it, so the
 * upstream still caches up to the same place.
 */
function rewriteBlocks(blocks: readonly TextBlockParam[], rewrite: (text: string, path: string) => string): TextBlockParam[] | undefined {
  const kept: TextBlockParam[] = [];
  blocks.forEach((block, index) => {
    const text = rewrite(block.text, `system[${index}]`);
    if (text !== "") {
      kept.push(text === block.text ? block : { ...block, text });
      return;
    }
    const previous = kept.at(-1);
    if (block.cache_control && previous && !previous.cache_control)
      kept[kept.length - 1] = { ...previous, cache_control: block.cache_control };
  });
  return kept.length === 0 ? undefined : kept;
}
