/**
 * Property tests of prompt slimming on seeded variations of every recorded Claude Code request:
 * sections reordered, CLAUDE.md content added, generated tools added, tools shuffled, at every
 * tier. Whatever the draw: every critical unit of the input is in the output verbatim, the
 * CLAUDE.md content whole; every tool is kept with its schema unchanged apart from description
 * strings, or deferred and named; nothing grows; the gate never has to step in; the same input
 * gives the same bytes. Each seed is a test of its own, so a failing draw names itself.
 */
import { expect, test } from "bun:test";
import { PROMPT_TIERS, type PromptTier } from "../../../src/config/prompt-config-schema";
import { findCriticalUnits } from "../../../src/prompt/find-critical-units";
import { parsePromptUnits } from "../../../src/prompt/parse-prompt-units";
import { PromptOptimizer } from "../../../src/prompt/prompt-optimizer";
import type { MessageCreateParams, TextBlockParam, ToolParam } from "../../../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";
import { seededRandom } from "../../support/seeded-random";

const DRAWS = 150;
const DEFER_TOOLS = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];
const BASES = readClaudeCodeRequests().map(
  (recorded) => normalizeAnthropicRequest(recorded.body, { stripBillingHeader: true, systemMessages: "hoist" }).value,
);

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const SENTENCES = [
  "Keep functions small and name them after what they do.",
  "IMPORTANT: never commit generated files.",
  "Run the linter before you push, and fix what it reports.",
  "The database lives in `data/app.db`; do not edit it by hand.",
  "Prefer composition over inheritance in the service layer.",
  "Tests go beside the code they test, one file per module.",
  "Use `bun test` to run the suite; it takes about a minute.",
  "For example, `make build` builds everything.",
];

function prose(random: Random, sentences: number): string {
  return Array.from({ length: sentences }, () => pick(random, SENTENCES)).join(" ");
}

/** Markdown as a CLAUDE.md holds it: headings, paragraphs, lists, code, repeats. */
function claudeMd(random: Random): string {
  const parts: string[] = [];
  for (let i = 0; i < 2 + Math.floor(random() * 6); i++) {
    const kind = Math.floor(random() * 5);
    if (kind === 0) parts.push(`${"#".repeat(1 + Math.floor(random() * 3))} Section ${i}`);
    else if (kind === 1) parts.push(prose(random, 1 + Math.floor(random() * 5)));
    else if (kind === 2) parts.push(Array.from({ length: 3 }, () => `- ${prose(random, 1)}`).join("\n"));
    else if (kind === 3) parts.push("```sh\nmake build\n\nmake test\n```");
    else parts.push(parts.at(-1) ?? prose(random, 2));
  }
  return parts.join("\n\n");
}

function claudeMdBlock(random: Random): string {
  return `Contents of /home/dev/project/CLAUDE.md (project instructions, checked into the codebase):\n\n${claudeMd(random)}`;
}

/** A JSON Schema node with nested objects, arrays, enums, anyOf and a property called `description`. */
function schemaNode(random: Random, depth: number): Record<string, unknown> {
  const kind =
    depth > 2 ? pick(random, ["string", "integer", "enum"]) : pick(random, ["string", "integer", "enum", "object", "array", "anyOf"]);
  const node: Record<string, unknown> = chance(random, 0.8) ? { description: prose(random, 1 + Math.floor(random() * 4)) } : {};
  if (kind === "enum") Object.assign(node, { type: "string", enum: ["low", "high", "max"] });
  else if (kind === "object") {
    const properties: Record<string, unknown> = {};
    for (const name of ["description", "path", "count"].slice(0, 1 + Math.floor(random() * 3)))
      properties[name] = schemaNode(random, depth + 1);
    Object.assign(node, { type: "object", properties, required: Object.keys(properties).slice(0, 1), additionalProperties: false });
  } else if (kind === "array") Object.assign(node, { type: "array", items: schemaNode(random, depth + 1), maxItems: 8 });
  else if (kind === "anyOf") Object.assign(node, { anyOf: [schemaNode(random, depth + 1), { type: "null" }] });
  else Object.assign(node, { type: kind, ...(kind === "integer" ? { minimum: 0, default: 3 } : {}) });
  return node;
}

function generatedTool(random: Random, index: number): ToolParam {
  const paragraphs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => prose(random, 1 + Math.floor(random() * 4)));
  if (chance(random, 0.4)) paragraphs.push(`# Rules\n- ${prose(random, 1)}\n- Do NOT call this twice in a row.`);
  const input = schemaNode(random, 0);
  const input_schema = input.type === "object" ? input : { type: "object", properties: { value: input }, required: ["value"] };
  return { name: `Generated${index}`, description: paragraphs.join("\n\n"), input_schema };
}

function vary(random: Random, base: MessageCreateParams): MessageCreateParams {
  const blocks: TextBlockParam[] =
    base.system === undefined ? [] : typeof base.system === "string" ? [{ type: "text", text: base.system }] : [...base.system];
  // Sections reordered: top-level sections of a block shuffled, and the blocks themselves.
  let system = blocks.map((block) =>
    chance(random, 0.5) ? { ...block, text: shuffle(random, block.text.split(/\n(?=# )/)).join("\n") } : block,
  );
  if (chance(random, 0.3)) system = shuffle(random, system);
  if (chance(random, 0.6)) system.splice(Math.floor(random() * (system.length + 1)), 0, { type: "text", text: claudeMdBlock(random) });
  let tools = [...(base.tools ?? [])];
  for (let i = 0; i < Math.floor(random() * 4); i++) tools.splice(Math.floor(random() * (tools.length + 1)), 0, generatedTool(random, i));
  if (chance(random, 0.3)) tools = shuffle(random, tools);
  const varied: MessageCreateParams = { ...base, tools };
  if (system.length > 0) varied.system = system;
  else delete varied.system;
  return varied;
}

function systemText(system: MessageCreateParams["system"]): string {
  if (system === undefined) return "";
  return typeof system === "string" ? system : system.map((block) => block.text).join("\n");
}

/** An independent oracle for "unchanged apart from descriptions": strip every description string, compare the rest. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, child]) => !(key === "description" && typeof child === "string"))
      .map(([key, child]) => [key, withoutDescriptions(child)]),
  );
}

const SEEDS = Array.from({ length: DRAWS }, (_, index) => index + 1);

test.each(SEEDS)("critical parts, CLAUDE.md content and schemas survive: seed %d", (seed) => {
  {
    const random = seededRandom(seed);
    const request = vary(random, pick(random, BASES));
    const tier: PromptTier = pick(random, PROMPT_TIERS);
    const slimmed = new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(request, tier);
    const context = `seed ${seed}, tier ${tier}`;
    expect({ context, gate: slimmed.gateFailure }).toEqual({ context, gate: undefined });
    expect(slimmed.after).toBeLessThanOrEqual(slimmed.before);

    const output = systemText(slimmed.request.system);
    const inputBlocks = typeof request.system === "string" ? [request.system] : (request.system ?? []).map((block) => block.text);
    for (const text of inputBlocks) {
      const { units } = parsePromptUnits(text);
      findCriticalUnits(units, "system").forEach((kind, index) => {
        if (kind !== undefined)
          expect({ context, kind, unit: units[index]!.text, kept: output.includes(units[index]!.text) }).toMatchObject({ kept: true });
      });
      const claudeMdAt = text.indexOf("Contents of /home/dev/project/CLAUDE.md");
      if (claudeMdAt !== -1) expect({ context, kept: output.includes(text.slice(claudeMdAt)) }).toEqual({ context, kept: true });
    }

    const kept = new Map((slimmed.request.tools ?? []).map((tool) => [tool.name, tool]));
    for (const tool of request.tools ?? []) {
      const out = kept.get(tool.name);
      if (out === undefined) {
        expect({ context, tool: tool.name, deferrable: DEFER_TOOLS.includes(tool.name), named: output.includes(tool.name) }).toMatchObject({
          deferrable: true,
          named: true,
        });
        continue;
      }
      expect(withoutDescriptions(out)).toEqual(withoutDescriptions(tool));
    }

    const again = new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(structuredClone(request), tier);
    expect(JSON.stringify(again.request)).toBe(JSON.stringify(slimmed.request));
  }
});
