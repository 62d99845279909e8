/**
 * Checks one tool call against the tool the request declares: the name matched loosely, the
 * arguments parsed (and mended) into an object, the input validated against the tool's
 * `input_schema`, with safe coercions when it fails. A call that is valid as it came is never
 * changed. Validation uses @cfworker/json-schema (docs/decisions/0021-tool-call-checks.md).
 */
import { type OutputUnit, type SchemaDraft, Validator } from "@cfworker/json-schema";
import { coerceToolInput } from "./coerce-tool-input";
import type { DeclaredTools } from "./declared-tools";
import { JsonValueEndFinder } from "./json-value-end-finder";
import { parseLenientJson } from "./parse-lenient-json";

type ToolCallFixKind = "renamed" | "repaired-json" | "coerced";

interface ToolCallFix {
  kind: ToolCallFixKind;
  detail: string;
}

export interface CheckedToolCall {
  /** The declared tool's name when one fits, else the name as written. */
  name: string;
  input: Record<string, unknown>;
  fixes: ToolCallFix[];
  /** What still fails: an unknown tool, arguments that are no object, schema errors. Empty when valid. */
  problems: string[];
}

const MAX_PROBLEMS = 5;

/**
 * @example
 * checkToolCall({ name: "bash", arguments: '{"command":"ls","timeout":"5"}' }, indexDeclaredTools(tools));
 * // => { name: "Bash", input: { command: "ls", timeout: 5 }, problems: [],
 * //      fixes: [{ kind: "renamed", ... }, { kind: "coerced", detail: '/timeout: "5" → 5' }] }
 */
export function checkToolCall(call: { name: string; arguments: unknown }, tools: DeclaredTools): CheckedToolCall {
  const fixes: ToolCallFix[] = [];
  const problems: string[] = [];
  const parsed = readArguments(call.arguments);
  if (parsed.repaired) fixes.push({ kind: "repaired-json", detail: parsed.repaired });
  if (parsed.problem) problems.push(parsed.problem);
  let input = parsed.input;

  const found = tools.find(call.name);
  if (found === undefined) {
    if (tools.count > 0) problems.push(`there is no tool named "${call.name}"; the tools are: ${tools.names.join(", ")}`);
    return { name: call.name, input, fixes, problems };
  }
  const { tool, exact } = found;
  if (!exact) fixes.push({ kind: "renamed", detail: `"${call.name}" → "${tool.name}"` });
  const schema = tool.input_schema;
  if (parsed.problem || typeof schema !== "object" || schema === null) return { name: tool.name, input, fixes, problems };

  // The validator marks every schema node it reads (Object.defineProperty); the request's own schemas
  // are shared and frozen (src/json/reusing-json-parser.ts), so it reads a copy.
  const validator = new Validator(structuredClone(schema) as never, readDraft(schema), false);
  let result = validator.validate(input);
  if (!result.valid) {
    const coerced = coerceToolInput(input, schema);
    if (coerced.changes.length > 0) {
      input = coerced.value as Record<string, unknown>;
      for (const change of coerced.changes) fixes.push({ kind: "coerced", detail: change });
      result = validator.validate(input);
    }
  }
  if (!result.valid) problems.push(...describeErrors(result.errors));
  return { name: tool.name, input, fixes, problems };
}

interface ReadArguments {
  input: Record<string, unknown>;
  repaired?: string;
  problem?: string;
}

/** Engines send arguments as JSON text; text-form calls as parsed values, sometimes encoded twice. */
function readArguments(raw: unknown): ReadArguments {
  if (raw === undefined || raw === null) return { input: {} };
  if (isRecord(raw)) return { input: raw };
  if (typeof raw !== "string") return { input: {}, problem: `the arguments are ${JSON.stringify(raw)}, not a JSON object` };
  // An empty string is how several engines send a call that takes no arguments.
  if (raw.trim() === "") return { input: {} };
  let parsed = parseLenientJson(raw);
  let repaired = parsed.ok && parsed.repaired;
  if (!parsed.ok) {
    const object = cutToObject(raw);
    parsed = object === raw ? parsed : parseLenientJson(object);
    repaired = true;
  }
  let value = parsed.ok ? parsed.value : undefined;
  // An object encoded twice: a JSON string holding the object's JSON.
  if (typeof value === "string") {
    const inner = parseLenientJson(value);
    if (inner.ok) value = inner.value;
  }
  const shown = raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
  if (!isRecord(value)) return { input: {}, problem: `the arguments are not a JSON object: ${shown}` };
  return repaired ? { input: value, repaired: shown } : { input: value };
}

/** Text around the object (a model's comment, a code fence) goes: jsonrepair cannot drop trailing prose. */
function cutToObject(text: string): string {
  const start = text.indexOf("{");
  if (start === -1) return text;
  const end = new JsonValueEndFinder(start).find(text);
  return end === -1 ? text.slice(start) : text.slice(start, end);
}

function readDraft(schema: Record<string, unknown>): SchemaDraft {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("draft-04")) return "4";
  if (declared.includes("draft-07") || declared.includes("draft-06")) return "7";
  if (declared.includes("2019-09")) return "2019-09";
  return "2020-12";
}

/** The validator's innermost errors, as `/path: message`; the ones that only say "a property failed" are left out. */
function describeErrors(errors: readonly OutputUnit[]): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    if (error.keyword === "properties" || error.keyword === "false" || error.keyword === "items") continue;
    lines.add(`${error.instanceLocation.replace(/^#/, "") || "/"}: ${error.error}`);
  }
  if (lines.size === 0 && errors.length > 0) lines.add(`${errors[0]!.instanceLocation}: ${errors[0]!.error}`);
  return [...lines].slice(0, MAX_PROBLEMS);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
