/**
 * The corpus of bench/tools.ts: valid calls to Claude Code's own tools, written as text the way
 * each model family's chat template writes them (test/support/text-form-calls.ts has one case
 * per template), then mutated the way small models get them wrong; plus prose that shows
 * call-shaped text and must stay text.
 */
import { readFileSync } from "node:fs";
import type { ToolParam } from "../src/protocol/anthropic/messages";
import { CASE_TOOLS } from "../test/support/text-form-calls";

export interface ValidCall {
  name: string;
  input: Record<string, unknown>;
}

export interface CorpusCase {
  family: string;
  mutation: string;
  text: string;
  /** What the client must receive: these calls, with exactly these inputs. Empty: the text must stay text. */
  expected: ValidCall[];
}

const FIXTURE = new URL("../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json", import.meta.url);

/** Claude Code 2.1.332's tools as it sends them, plus a Grep with an array parameter. */
export const CORPUS_TOOLS: ToolParam[] = [...(JSON.parse(readFileSync(FIXTURE, "utf8")) as { tools: ToolParam[] }).tools, CASE_TOOLS[2]!];

export const VALID_CALLS: ValidCall[] = [
  { name: "Bash", input: { command: "ls -la" } },
  { name: "Bash", input: { command: "npm test", timeout: 120000, description: "Run the tests" } },
  { name: "Read", input: { file_path: "/home/dev/project/src/main.ts" } },
  { name: "Read", input: { file_path: "src/a.ts", offset: 10, limit: 40 } },
  { name: "Edit", input: { file_path: "src/a.ts", old_string: "const a = 1;", new_string: "const a = 2;", replace_all: false } },
  { name: "Write", input: { file_path: "notes.md", content: '# Notes\n\nA line with "quotes", {braces} and [brackets].\n' } },
  { name: "ToolSearch", input: { query: "select:WebFetch" } },
  { name: "Skill", input: { skill: "pdf" } },
  { name: "Grep", input: { pattern: "TODO", paths: ["src", "test"] } },
  { name: "Agent", input: { description: "Find usages", prompt: "Find every caller of parseConfig.", run_in_background: true } },
];

type Render = (name: string, args: string) => string;
const DEEPSEEK = (name: string) => `<｜tool▁${name}｜>`;

/** Each family's layout, from its chat template; `args` is the arguments' JSON text. */
const JSON_FAMILIES: Record<string, Render> = {
  "hermes (Qwen 2.5)": (name, args) => `<tool_call>\n{"name": "${name}", "arguments": ${args}}\n</tool_call>`,
  "llama 3.1 python_tag": (name, args) => `<|python_tag|>{"name": "${name}", "parameters": ${args}}`,
  "llama 3.2 bare JSON": (name, args) => `{"name": "${name}", "parameters": ${args}}`,
  "mistral v3": (name, args) => `[TOOL_CALLS] [{"name": "${name}", "arguments": ${args}, "id": "a1b2c3d4e"}]`,
  "mistral v11": (name, args) => `[TOOL_CALLS]${name}[ARGS]${args}`,
  "deepseek v3": (name, args) =>
    `${DEEPSEEK("calls▁begin")}${DEEPSEEK("call▁begin")}function${DEEPSEEK("sep")}${name}\n\`\`\`json\n${args}\n\`\`\`${DEEPSEEK("call▁end")}${DEEPSEEK("calls▁end")}`,
  "deepseek v3.1": (name, args) =>
    `${DEEPSEEK("calls▁begin")}${DEEPSEEK("call▁begin")}${name}${DEEPSEEK("sep")}${args}${DEEPSEEK("call▁end")}${DEEPSEEK("calls▁end")}`,
  "fenced JSON": (name, args) => `\`\`\`json\n{"name": "${name}", "arguments": ${args}}\n\`\`\``,
  "bare JSON": (name, args) => `{"name": "${name}", "arguments": ${args}}`,
};

/** Qwen3-Coder: raw parameter values, JSON only for objects and arrays. */
function renderQwenXml(name: string, input: Record<string, unknown>): string {
  const parameters = Object.entries(input).map(([key, value]) => {
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    return `<parameter=${key}>\n${text}\n</parameter>\n`;
  });
  return `<tool_call>\n<function=${name}>\n${parameters.join("")}</function>\n</tool_call>`;
}

const PREFIXES = ["", "I'll do that now.\n", "Let me check.\n\n"];

interface Mutation {
  /** The text form of the call after the mistake, or undefined when it does not apply to this call. */
  apply(call: ValidCall, render: Render): string | undefined;
  expected?: (call: ValidCall) => ValidCall;
}

const json = (value: unknown) => JSON.stringify(value);
const mapValues = (input: Record<string, unknown>, map: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(input).map(([key, value]) => [key, map(value)]));

const MUTATIONS: Record<string, Mutation> = {
  none: { apply: (call, render) => render(call.name, json(call.input)) },
  "name in lower case": { apply: (call, render) => render(call.name.toLowerCase(), json(call.input)) },
  "numbers and booleans as strings": {
    apply: (call, render) =>
      Object.values(call.input).some((v) => typeof v !== "string" && !Array.isArray(v))
        ? render(call.name, json(mapValues(call.input, (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v))))
        : undefined,
  },
  "lone value for an array": {
    apply: (call, render) => (call.name === "Grep" ? render(call.name, json({ ...call.input, paths: "src" })) : undefined),
    expected: (call) => (call.name === "Grep" ? { ...call, input: { ...call.input, paths: ["src"] } } : call),
  },
  "single quotes and Python constants": {
    apply: (call, render) =>
      JSON.stringify(call.input).includes("'") || JSON.stringify(call.input).includes('\\"')
        ? undefined
        : render(call.name, json(call.input).replaceAll('"', "'").replaceAll("true", "True").replaceAll("false", "False")),
  },
  "trailing comma": { apply: (call, render) => render(call.name, json(call.input).replace(/}$/, ",}")) },
  // The answer stops just before the arguments' closing brace: what follows it never comes.
  "cut off by max_tokens": {
    apply: (call, render) => {
      const text = render(call.name, `${json(call.input)}\u0000`);
      return text.slice(0, text.indexOf("\u0000") - 1);
    },
  },
  "arguments encoded twice": { apply: (call, render) => render(call.name, json(json(call.input))) },
  "null for an optional property": {
    apply: (call, render) => {
      const optional = { Bash: "run_in_background", Read: "pages", Edit: "replace_all", Agent: "model" }[call.name];
      return optional === undefined || optional in call.input ? undefined : render(call.name, json({ ...call.input, [optional]: null }));
    },
  },
  "a property the tool does not take": { apply: (call, render) => render(call.name, json({ ...call.input, explanation: "because" })) },
  "raw newlines and tabs in a string": {
    apply: (call, render) => (json(call.input).includes("\\n") ? render(call.name, json(call.input).replaceAll("\\n", "\n")) : undefined),
  },
  "unescaped quotes in a string": {
    apply: (call, render) => (call.name === "Write" ? render(call.name, json(call.input).replaceAll('\\"', '"')) : undefined),
  },
  "a comment in the JSON": { apply: (call, render) => render(call.name, json(call.input).replace("{", "{ // the arguments\n")) },
  "tool and tool_input keys": {
    apply: (call, render) => {
      const text = render(call.name, json(call.input));
      return text.includes('"arguments": ') ? text.replace('"name": ', '"tool": ').replace('"arguments": ', '"tool_input": ') : undefined;
    },
  },
  "no closing tag, prose after": {
    apply: (call, render) => {
      const text = render(call.name, json(call.input));
      return text.endsWith("</tool_call>") ? `${text.slice(0, -"</tool_call>".length)}\nI will wait for the result.` : undefined;
    },
    expected: (call) => call,
  },
  "a sentence inside the tag before the JSON": {
    apply: (call, render) => {
      const text = render(call.name, json(call.input));
      return text.startsWith("<tool_call>\n") ? text.replace("<tool_call>\n", "<tool_call>\nCalling the tool now:\n") : undefined;
    },
  },
};

export function buildCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  let n = 0;
  for (const [mutationName, mutation] of Object.entries(MUTATIONS)) {
    for (const [family, render] of Object.entries(JSON_FAMILIES)) {
      for (const call of VALID_CALLS) {
        const text = mutation.apply(call, render);
        if (text === undefined) continue;
        const prefix = family.includes("bare") ? PREFIXES[n % 2]! : PREFIXES[n % 3]!;
        cases.push({ family, mutation: mutationName, text: prefix + text, expected: [mutation.expected?.(call) ?? call] });
        n++;
      }
    }
  }
  for (const call of VALID_CALLS) {
    cases.push({ family: "qwen3-coder XML", mutation: "none", text: renderQwenXml(call.name, call.input), expected: [call] });
    cases.push({
      family: "qwen3-coder XML",
      mutation: "name in lower case",
      text: renderQwenXml(call.name.toLowerCase(), call.input),
      expected: [call],
    });
  }
  return cases;
}

/** Prose that shows call-shaped text: none of it may become a call. */
export function buildProseCorpus(): CorpusCase[] {
  const prose: string[] = [];
  for (const call of VALID_CALLS) {
    const args = json(call.input);
    prose.push(
      `A ${call.name} call looks like this:\n\`\`\`json\n{"name": "${call.name}", "arguments": ${args}}\n\`\`\`\nThat is the format.`,
    );
    prose.push(`You could send\n{"name": "${call.name}", "arguments": ${args}}\nand it would run.`);
    prose.push(`Qwen wraps calls in \`<tool_call>\` tags and Mistral starts them with \`[TOOL_CALLS]\`; ${call.name} is one tool.`);
    prose.push(`\`\`\`python\nprint('<tool_call>{"name": "${call.name}", "arguments": ${args}}</tool_call>')\n\`\`\`\nThat prints a call.`);
    prose.push(`Here is the record:\n{"name": "${call.name}Data", "arguments": ${args}}`);
  }
  return prose.map((text) => ({ family: "prose", mutation: "none", text, expected: [] }));
}
