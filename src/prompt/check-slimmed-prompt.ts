/**
 * The gate every slimmed prompt passes before it is used: each critical text still there, each
 * kept tool's schema unchanged apart from its description strings (so it is exactly as valid
 * JSON Schema as it came), no tool lost that was not deferred or dropped by a rule, and nothing
 * longer than before. A prompt that fails goes out untouched.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { PromptParts, SlimmedParts } from "./slim-prompt";

/**
 * The reason the slimmed prompt must not be used, or undefined when it may.
 *
 * @example
 * findGateFailure(original, slimmed, { before: 11687, after: 6363 }); // undefined
 */
export function findGateFailure(
  original: PromptParts,
  slimmed: SlimmedParts,
  tokens: { before: number; after: number },
): string | undefined {
  if (tokens.after > tokens.before) return `the slimmed prompt is longer (${tokens.after} > ${tokens.before} tokens)`;
  const systemText = joinSystem(slimmed.system);
  const slimmedTools = new Map((slimmed.tools ?? []).map((tool) => [tool.name, tool]));
  for (const marker of slimmed.markers) {
    if (marker.tool === undefined) {
      if (!systemText.includes(marker.text)) return `a critical part of the system prompt is missing: ${quote(marker.text)}`;
      continue;
    }
    const tool = slimmedTools.get(marker.tool);
    if (tool === undefined) continue; // deferred or dropped: checked below
    if (!collectToolProse(tool).includes(marker.text)) return `a critical part of tool ${marker.tool} is missing: ${quote(marker.text)}`;
  }
  for (const tool of original.tools ?? []) {
    const kept = slimmedTools.get(tool.name);
    if (kept === undefined) {
      if (!slimmed.deferred.includes(tool.name) && !slimmed.dropped.includes(tool.name)) return `tool ${tool.name} is missing`;
    } else if (!isSameApartFromDescriptions(tool, kept)) return `tool ${tool.name} changed beyond its descriptions`;
  }
  for (const name of slimmed.deferred) {
    if (!systemText.includes(name)) return `deferred tool ${name} is not named in the system prompt`;
  }
  return undefined;
}

/**
 * Deep equality that lets a `description` string differ; a property called `description` is an
 * object (its subschema), so it is compared like any other.
 *
 * @example
 * isSameApartFromDescriptions({ type: "string", description: "A long text." }, { type: "string", description: "Text." }); // true
 */
export function isSameApartFromDescriptions(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i]!;
    if (bKeys[i] !== key) return false;
    const aValue = (a as Record<string, unknown>)[key];
    const bValue = (b as Record<string, unknown>)[key];
    if (key === "description" && typeof aValue === "string" && typeof bValue === "string") continue;
    if (!isSameApartFromDescriptions(aValue, bValue)) return false;
  }
  return true;
}

function joinSystem(system: PromptParts["system"]): string {
  if (system === undefined) return "";
  return typeof system === "string" ? system : system.map((block) => block.text).join("\n");
}

/** The tool's description and every description inside its schema. */
function collectToolProse(tool: ToolParam): string {
  const texts: string[] = [];
  const pending: unknown[] = [tool];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === "description" && typeof child === "string") texts.push(child);
      else pending.push(child);
    }
  }
  return texts.join("\n");
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
