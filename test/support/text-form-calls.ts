/**
 * Tool calls written as text, one or more cases per model family, each laid out exactly as that
 * family's chat template renders an assistant tool call (the template is named in the label), plus
 * prose that shows call-shaped JSON and must stay text. The parser tests stream them in random
 * pieces; bench/tools.ts mutates them into its corpus.
 */
import type { TextFormId } from "../../src/tool-calls/text-forms/text-form";

export interface TextFormCase {
  /** "<template it was written from>: <what it shows>". */
  label: string;
  form: TextFormId | "prose";
  text: string;
  /** The calls it holds, in order, with the text around them; `null` segments are calls. */
  expected: ExpectedSegment[];
}

export type ExpectedSegment = { text: string } | { call: { name: string; arguments: unknown } };

/** The tools the cases call, as Claude Code declares them (shortened descriptions). */
/** A Hermes-form call with a lower-case tool name and a string where the schema wants an integer: renamed and coerced. */
export const HERMES_BASH_CALL = 'Listing.\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls", "timeout": "5000"}}\n</tool_call>';

export const CASE_TOOLS = [
  {
    name: "Bash",
    description: "Run a shell command.",
    input_schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { command: { type: "string" }, timeout: { type: "number" }, description: { type: "string" } },
      required: ["command"],
      additionalProperties: false,
    },
  },
  {
    name: "Read",
    description: "Read a file.",
    input_schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { file_path: { type: "string" }, offset: { type: "integer" }, limit: { type: "integer" } },
      required: ["file_path"],
      additionalProperties: false,
    },
  },
  {
    name: "Grep",
    description: "Search files.",
    input_schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { pattern: { type: "string" }, glob: { type: "string" }, paths: { type: "array", items: { type: "string" } } },
      required: ["pattern"],
      additionalProperties: false,
    },
  },
];

const bash = (command: string) => ({ call: { name: "Bash", arguments: { command } } });
const read = (file_path: string) => ({ call: { name: "Read", arguments: { file_path } } });

export const TEXT_FORM_CASES: TextFormCase[] = [
  {
    label: "Hermes 2 Pro / Qwen 2.5 template (<tool_call> JSON): text then one call",
    form: "hermes",
    text: 'I will list the files.\n<tool_call>\n{"name": "Bash", "arguments": {"command": "ls -la"}}\n</tool_call>',
    expected: [{ text: "I will list the files.\n" }, bash("ls -la")],
  },
  {
    label: "Qwen 2.5 template (<tool_call> JSON): two calls in a row",
    form: "hermes",
    text: '<tool_call>\n{"name": "Read", "arguments": {"file_path": "a.ts"}}\n</tool_call>\n<tool_call>\n{"name": "Read", "arguments": {"file_path": "b.ts"}}\n</tool_call>',
    expected: [read("a.ts"), read("b.ts")],
  },
  {
    label: "Qwen3 template (<tool_call> JSON) after its thinking was stripped: no closing tag before the end",
    form: "hermes",
    text: '<tool_call>\n{"name": "Bash", "arguments": {"command": "git status"}}',
    expected: [bash("git status")],
  },
  {
    label: "Qwen 2.5 template (<tool_call> JSON), closing tag forgotten and prose after the call",
    form: "hermes",
    text: 'Let me check.\n\n<tool_call>\n{"name": "Bash", "arguments": {"command": "ls"}}\n\nI will wait for the result.',
    expected: [{ text: "Let me check.\n\n" }, bash("ls"), { text: "\n\nI will wait for the result." }],
  },
  {
    label: "Qwen 2.5 template (<tool_call> JSON), a line of text inside the tag before the JSON",
    form: "hermes",
    text: '<tool_call>\nCalling the tool now:\n{"name": "Read", "arguments": {"file_path": "a.ts"}}\n</tool_call>',
    expected: [{ text: "Calling the tool now:\n" }, read("a.ts")],
  },
  {
    label: "Qwen3-Coder template (<tool_call><function=...> XML)",
    form: "hermes",
    text: "Let me read it.\n<tool_call>\n<function=Read>\n<parameter=file_path>\nsrc/main.ts\n</parameter>\n</function>\n</tool_call>",
    expected: [{ text: "Let me read it.\n" }, read("src/main.ts")],
  },
  {
    label: "Llama 3.1 template (<|python_tag|> JSON with parameters)",
    form: "llama-python-tag",
    text: '<|python_tag|>{"name": "Bash", "parameters": {"command": "pwd"}}',
    expected: [bash("pwd")],
  },
  {
    label: "Llama 3.2 / 3.3 template (custom tool as bare JSON with parameters)",
    form: "bare-json",
    text: '{"name": "Read", "parameters": {"file_path": "README.md"}}',
    expected: [read("README.md")],
  },
  {
    label: "Mistral v3 template ([TOOL_CALLS] JSON array with ids)",
    form: "mistral",
    text: '[TOOL_CALLS] [{"name": "Bash", "arguments": {"command": "ls"}, "id": "a1b2c3d4e"}]',
    expected: [bash("ls")],
  },
  {
    label: "Mistral Small 3.2 / Devstral template ([TOOL_CALLS]name[ARGS]json)",
    form: "mistral",
    text: 'Checking.[TOOL_CALLS]Bash[ARGS]{"command": "uname -a"}',
    expected: [{ text: "Checking." }, bash("uname -a")],
  },
  {
    label: "Magistral template ([TOOL_CALLS]name[CALL_ID]id[ARGS]json), two calls",
    form: "mistral",
    text: '[TOOL_CALLS]Read[CALL_ID]k2j4h6g8f[ARGS]{"file_path": "a.ts"}[TOOL_CALLS]Read[CALL_ID]q1w2e3r4t[ARGS]{"file_path": "b.ts"}',
    expected: [read("a.ts"), read("b.ts")],
  },
  {
    label: "DeepSeek V3 / R1 template (tool-call tokens, function type, fenced JSON)",
    form: "deepseek",
    text: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>Bash\n```json\n{"command": "ls"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    expected: [bash("ls")],
  },
  {
    label: "DeepSeek V3.1 template (tool-call tokens, name then JSON), two calls",
    form: "deepseek",
    text: 'On it.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>Read<｜tool▁sep｜>{"file_path": "a.ts"}<｜tool▁call▁end｜><｜tool▁call▁begin｜>Read<｜tool▁sep｜>{"file_path": "b.ts"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    expected: [{ text: "On it." }, read("a.ts"), read("b.ts")],
  },
  {
    label: "Generic chat template, tools described in the prompt: fenced JSON block at the end",
    form: "fenced-json",
    text: 'I will search for it.\n\n```json\n{"name": "Grep", "arguments": {"pattern": "TODO"}}\n```\n',
    expected: [{ text: "I will search for it.\n\n" }, { call: { name: "Grep", arguments: { pattern: "TODO" } } }],
  },
  {
    label: "Generic chat template, tools described in the prompt: bare JSON with arguments",
    form: "bare-json",
    text: 'Running the tests.\n{"name": "Bash", "arguments": {"command": "npm test"}}',
    expected: [{ text: "Running the tests.\n" }, bash("npm test")],
  },
  {
    label: "Prose: a fenced example of a call, followed by explanation, stays text",
    form: "prose",
    text: 'A call looks like this:\n```json\n{"name": "Bash", "arguments": {"command": "ls"}}\n```\nThe model writes it when it needs a shell.',
    expected: [
      {
        text: 'A call looks like this:\n```json\n{"name": "Bash", "arguments": {"command": "ls"}}\n```\nThe model writes it when it needs a shell.',
      },
    ],
  },
  {
    label: "Prose: bare call-shaped JSON mid-answer, followed by text, stays text",
    form: "prose",
    text: 'You could send\n{"name": "Read", "arguments": {"file_path": "x"}}\nto read x.',
    expected: [{ text: 'You could send\n{"name": "Read", "arguments": {"file_path": "x"}}\nto read x.' }],
  },
  {
    label: "Prose: markers in inline code and in a code block stay text",
    form: "prose",
    text: 'Qwen wraps calls in `<tool_call>` tags, Mistral starts them with `[TOOL_CALLS]`:\n```text\n<tool_call>\n{"name": "Bash", "arguments": {}}\n</tool_call>\n```\nThat is all.',
    expected: [
      {
        text: 'Qwen wraps calls in `<tool_call>` tags, Mistral starts them with `[TOOL_CALLS]`:\n```text\n<tool_call>\n{"name": "Bash", "arguments": {}}\n</tool_call>\n```\nThat is all.',
      },
    ],
  },
  {
    label: "Prose: JSON data that names no declared tool stays text, even at the end",
    form: "prose",
    text: 'Here is the record:\n{"name": "Alice", "arguments": {"age": 3}}',
    expected: [{ text: 'Here is the record:\n{"name": "Alice", "arguments": {"age": 3}}' }],
  },
  {
    label: "Prose: a word after the <tool_call> tag is no call",
    form: "prose",
    text: "Wrap each call in a <tool_call> tag and close it.",
    expected: [{ text: "Wrap each call in a <tool_call> tag and close it." }],
  },
];

/**
 * Posts the tool tests' request ("List the files." with CASE_TOOLS) to a proxy.
 *
 * @example
 * const events = await readAnthropicEvents(await postToolRequest(proxy.url, true));
 */
export function postToolRequest(proxyUrl: string, stream: boolean, extra: Record<string, unknown> = {}): Promise<Response> {
  const body = {
    model: "claude-sonnet-5-5",
    max_tokens: 512,
    stream,
    tools: CASE_TOOLS,
    messages: [{ role: "user", content: "List the files." }],
    ...extra,
  };
  return fetch(`${proxyUrl}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
