/**
 * Tool calls (issue 18): on a corpus of calls written as text and malformed the way small
 * models get them wrong (bench/tool-call-corpus.ts), the share that reaches the client as a
 * valid tool_use; that no valid structured call is changed and no prose becomes a call; and what
 * the streaming converter costs per chunk with text-call parsing on.
 *
 * @example
 * bun bench/tools.ts
 * bun bench/tools.ts --verbose        # list every case that failed
 */
import { deepStrictEqual } from "node:assert";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { MessageStreamEvent } from "../src/protocol/anthropic/stream-events";
import type { ChatCompletion, ChatCompletionChunk } from "../src/protocol/openai/chat-response-schema";
import { convertOpenAIChatCompletionToAnthropic } from "../src/translate/convert-openai-chat-completion-to-anthropic";
import { OpenAIChatStreamConverter } from "../src/translate/openai-chat-stream-converter";
import { splitAtRandom } from "../test/support/split-into-pieces";
import { buildCorpus, buildProseCorpus, CORPUS_TOOLS, type CorpusCase, VALID_CALLS, type ValidCall } from "./tool-call-corpus";

const { values } = parseArgs({ options: { verbose: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
if (values.help) {
  console.log("Usage: bun bench/tools.ts [--verbose]");
  process.exit(0);
}

const TOOL_CALLS = { tools: CORPUS_TOOLS, textCalls: true, holdInvalid: false, singleCall: false };
const envelope = { created: 1767225600, id: "chatcmpl-bench", model: "bench", object: "chat.completion.chunk" };
const contentChunk = (content: string) =>
  ({ ...envelope, choices: [{ index: 0, finish_reason: null, delta: { content } }] }) as ChatCompletionChunk;
const finishChunk = (reason: string) => ({ ...envelope, choices: [{ index: 0, finish_reason: reason, delta: {} }] }) as ChatCompletionChunk;

function convert(chunks: readonly ChatCompletionChunk[], toolCalls: typeof TOOL_CALLS | undefined): MessageStreamEvent[] {
  const converter = new OpenAIChatStreamConverter({ requestModel: "m", messageId: "msg_bench", toolCalls });
  const events: MessageStreamEvent[] = [];
  for (const chunk of chunks) events.push(...converter.push(chunk));
  events.push(...converter.finish());
  return events;
}

function callsIn(events: readonly MessageStreamEvent[]): ValidCall[] {
  const calls: ValidCall[] = [];
  for (const event of events) {
    if (event.type === "content_block_start" && event.content_block.type === "tool_use")
      calls.push({ name: event.content_block.name, input: {} });
    if (event.type === "content_block_delta" && event.delta.type === "input_json_delta")
      calls.at(-1)!.input = JSON.parse(event.delta.partial_json);
  }
  return calls;
}

function matches(actual: ValidCall[], expected: ValidCall[]): boolean {
  try {
    deepStrictEqual(actual, expected);
    return true;
  } catch {
    return false; // a mismatch is what this bench counts
  }
}

function score(cases: readonly CorpusCase[], seed: number) {
  const failed: Array<{ testCase: CorpusCase; got: ValidCall[] }> = [];
  cases.forEach((testCase, index) => {
    const chunks = [...splitAtRandom(testCase.text, seed + index, 8).map(contentChunk), finishChunk("stop")];
    const got = callsIn(convert(chunks, TOOL_CALLS));
    if (!matches(got, testCase.expected)) failed.push({ testCase, got });
  });
  return failed;
}

// 1. Calls written as text, clean and malformed.
const corpus = buildCorpus();
const failures = score(corpus, 1);
const byGroup = new Map<string, { total: number; ok: number }>();
for (const testCase of corpus) {
  for (const key of [`family: ${testCase.family}`, `mutation: ${testCase.mutation}`]) {
    const group = byGroup.get(key) ?? { total: 0, ok: 0 };
    group.total++;
    if (!failures.some((failure) => failure.testCase === testCase)) group.ok++;
    byGroup.set(key, group);
  }
}

// 1b. The same corpus as whole (non-streamed) answers.
const wholeFailures = corpus.filter((testCase) => {
  const completion = {
    ...envelope,
    object: "chat.completion",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: testCase.text } }],
  } as unknown as ChatCompletion;
  const { value } = convertOpenAIChatCompletionToAnthropic(completion, {
    requestModel: "m",
    messageId: "msg_bench",
    toolCalls: TOOL_CALLS,
  });
  const calls = value.content.flatMap((block) =>
    block.type === "tool_use" ? [{ name: block.name, input: block.input as Record<string, unknown> }] : [],
  );
  return !matches(calls, testCase.expected);
});

// 2. Prose with call-shaped text stays text.
const prose = buildProseCorpus();
const proseFailures = score(prose, 1000);

// 3. Valid structured calls pass unchanged.
let changed = 0;
VALID_CALLS.forEach((call, index) => {
  const args = JSON.stringify(call.input);
  const pieces = splitAtRandom(args, 2000 + index, 8);
  const chunks = pieces.map((piece, i) => ({
    ...envelope,
    choices: [
      {
        index: 0,
        finish_reason: null,
        delta: {
          tool_calls: [
            {
              index: 0,
              ...(i === 0 ? { id: `call_${index}`, function: { name: call.name, arguments: piece } } : { function: { arguments: piece } }),
            },
          ],
        },
      },
    ],
  })) as ChatCompletionChunk[];
  if (!matches(callsIn(convert([...chunks, finishChunk("tool_calls")], TOOL_CALLS)), [call])) changed++;
});

// 4. Cost per streamed chunk: prose and a long Write call as text, in 4-character chunks.
function costPerChunk(text: string, toolCalls: typeof TOOL_CALLS | undefined): number {
  const chunks = [
    ...Array.from({ length: Math.ceil(text.length / 4) }, (_, i) => contentChunk(text.slice(i * 4, i * 4 + 4))),
    finishChunk("stop"),
  ];
  for (let i = 0; i < 30; i++) convert(chunks, toolCalls);
  const samples: number[] = [];
  for (let run = 0; run < 15; run++) {
    const start = Bun.nanoseconds();
    for (let i = 0; i < 10; i++) convert(chunks, toolCalls);
    samples.push((Bun.nanoseconds() - start) / 1000 / 10 / chunks.length);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}
const proseText = "The parser holds nothing back in plain prose like this, with `code`, a <b>tag</b> and {braces}.\n".repeat(60);
const writeCall = `<tool_call>\n${JSON.stringify({ name: "Write", arguments: { file_path: "big.ts", content: "export const x = { a: [1, 2, 3] };\n".repeat(300) } })}\n</tool_call>`;
const cost = {
  proseOff: costPerChunk(proseText, undefined),
  proseOn: costPerChunk(proseText, TOOL_CALLS),
  callOff: costPerChunk(writeCall, undefined),
  callOn: costPerChunk(writeCall, TOOL_CALLS),
};

const ok = corpus.length - failures.length;
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
console.log(`bench/tools.ts  ${new Date().toISOString().slice(0, 16)}Z  load ${loadavg()[0]!.toFixed(1)}`);
console.log(
  `\ncalls written as text or malformed: ${ok} / ${corpus.length} became the valid tool_use (${pct(ok, corpus.length)}; target ≥ 98 %)`,
);
for (const [key, group] of [...byGroup].sort()) console.log(`  ${key.padEnd(46)} ${String(group.ok).padStart(3)} / ${group.total}`);
console.log(`the same as whole answers (not streamed): ${corpus.length - wholeFailures.length} / ${corpus.length}`);
console.log(`prose showing call-shaped text: ${prose.length - proseFailures.length} / ${prose.length} stayed text`);
console.log(`valid structured calls: ${VALID_CALLS.length - changed} / ${VALID_CALLS.length} passed unchanged`);
console.log("\nstreaming converter, µs per chunk (4-character chunks, median of 15 runs):");
console.log(
  `  prose, ${proseText.length} chars:          text calls off ${cost.proseOff.toFixed(2)}, on ${cost.proseOn.toFixed(2)}  (target ≤ 5)`,
);
console.log(`  Write call as text, ${writeCall.length} chars: text calls off ${cost.callOff.toFixed(2)}, on ${cost.callOn.toFixed(2)}`);
if (values.verbose) {
  for (const { testCase, got } of [...failures, ...proseFailures]) {
    console.log(`\nFAILED ${testCase.family} / ${testCase.mutation}\n${testCase.text}\n→ ${JSON.stringify(got)}`);
  }
}
