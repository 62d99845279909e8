/**
 * A slimmed prompt as text a person reviews: the system prompt and every tool's prose as the
 * engine will read them, then each removal. `anyclaude prompt show` prints it, and the golden
 * files of test/fixtures/prompt-slimming hold it.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { SlimmedRequest } from "./prompt-optimizer";

/** Removed text is shown up to this many characters; the count says how much went. */
const SHOWN_REMOVAL_CHARS = 100;

/**
 * @example
 * io.stdout(formatSlimmedPrompt(optimizer.slim(request, "moderate")));
 * // "tier moderate: 11687 -> 6363 estimated tokens of system prompt and tools (45.6 % fewer)\n\n=== system[0]\n..."
 */
export function formatSlimmedPrompt(slimmed: SlimmedRequest): string {
  const { request } = slimmed;
  const saved = slimmed.before === 0 ? 0 : (100 * (slimmed.before - slimmed.after)) / slimmed.before;
  const lines = [
    `tier ${slimmed.tier}: ${slimmed.before} -> ${slimmed.after} estimated tokens of system prompt and tools (${saved.toFixed(1)} % fewer)`,
  ];
  if (slimmed.gateFailure !== undefined) lines.push(`gate failed, sent untouched: ${slimmed.gateFailure}`);
  if (slimmed.deferred.length > 0) lines.push(`deferred: ${slimmed.deferred.join(", ")}`);
  if (typeof request.system === "string") lines.push("", "=== system", request.system);
  else request.system?.forEach((block, index) => void lines.push("", `=== system[${index}]`, block.text));
  for (const tool of request.tools ?? []) lines.push("", `=== tools.${tool.name}`, ...formatToolProse(tool));
  lines.push("", `=== removed (${slimmed.removed.length})`);
  for (const removal of slimmed.removed) {
    const shown = removal.text === undefined ? "" : `: ${JSON.stringify(truncate(removal.text))}`;
    lines.push(`- ${removal.path} ${removal.reason} (${removal.chars} chars)${shown}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The description, then `name: description` for each parameter with one, nested ones by path. */
function formatToolProse(tool: ToolParam): string[] {
  const lines = tool.description === undefined ? [] : [tool.description];
  const visit = (path: string, node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    const schema = node as Record<string, unknown>;
    if (path !== "" && typeof schema.description === "string") lines.push(`  ${path}: ${schema.description.replaceAll("\n", "\n    ")}`);
    if (typeof schema.properties === "object" && schema.properties !== null) {
      for (const [name, child] of Object.entries(schema.properties)) visit(path === "" ? name : `${path}.${name}`, child);
    }
    visit(`${path}[]`, schema.items);
  };
  visit("", tool.input_schema);
  return lines;
}

function truncate(text: string): string {
  return text.length > SHOWN_REMOVAL_CHARS ? `${text.slice(0, SHOWN_REMOVAL_CHARS - 3)}...` : text;
}
