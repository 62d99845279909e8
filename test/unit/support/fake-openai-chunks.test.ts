import { describe, expect, test } from "bun:test";
import { checkChatCompletion, checkChatCompletionChunk } from "../../../src/protocol/openai/chat-response-schema";
import {
  finishChunk,
  llamaServerChunks,
  llamaServerCompletion,
  reasoningChunks,
  roleChunk,
  textChunks,
  toolCallChunks,
  usageChunk,
} from "../../support/fake-openai-chunks";
import { splitIntoPieces } from "../../support/split-into-pieces";

type Chunk = { choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null; index: number }>; [key: string]: unknown };
const deltas = (chunks: object[]) => (chunks as Chunk[]).map((chunk) => chunk.choices[0]!.delta);

/** The envelope every llama-server chunk carries (server-task.cpp). */
const LLAMA_CHUNK_KEYS = ["choices", "created", "id", "model", "object", "system_fingerprint"];

describe("splitIntoPieces", () => {
  test("joins back to the text, in at most the asked number of pieces", () => {
    expect(splitIntoPieces("Running it.", 2)).toEqual(["Runni", "ng it."]);
    expect(splitIntoPieces("ab", 5)).toEqual(["a", "b"]);
    expect(splitIntoPieces("", 3)).toEqual([]);
    expect(splitIntoPieces("😀é😀", 3)).toEqual(["😀", "é", "😀"]);
  });
});

describe("chunk builders", () => {
  test("every chunk has llama-server's envelope and passes the project's chunk schema", () => {
    const chunks = [
      roleChunk(),
      ...reasoningChunks("think", 2),
      ...textChunks("hi", 1),
      ...toolCallChunks("Bash", { command: "ls" }),
      finishChunk("tool_calls"),
    ];
    for (const chunk of chunks) {
      expect(Object.keys(chunk).sort()).toEqual(LLAMA_CHUNK_KEYS);
      expect(checkChatCompletionChunk.Check(chunk)).toBe(true);
    }
    expect(deltas([chunks[0]!])).toEqual([{ role: "assistant", content: null }]);
  });

  test("text and reasoning deltas join back to their text", () => {
    expect(
      deltas(textChunks("Hello, world", 3))
        .map((delta) => delta.content)
        .join(""),
    ).toBe("Hello, world");
    expect(
      deltas(reasoningChunks("Let me see", 4))
        .map((delta) => delta.reasoning_content)
        .join(""),
    ).toBe("Let me see");
    expect(textChunks("Hello, world", 3)).toHaveLength(3);
  });

  test("a tool call opens with id, type and name, then streams arguments that parse back", () => {
    const chunks = toolCallChunks("Bash", { command: "echo hi" }, 3, { index: 1, id: "abc" });
    const [head, ...rest] = deltas(chunks).map((delta) => (delta.tool_calls as Array<Record<string, unknown>>)[0]!);
    expect(head).toEqual({ index: 1, id: "abc", type: "function", function: { name: "Bash" } });
    expect(rest).toHaveLength(3);
    for (const piece of rest) expect(Object.keys(piece).sort()).toEqual(["function", "index"]);
    const args = rest.map((piece) => (piece.function as { arguments: string }).arguments).join("");
    expect(JSON.parse(args)).toEqual({ command: "echo hi" });
  });

  test("string arguments stream as given, broken JSON included", () => {
    const args = deltas(toolCallChunks("Bash", '{"command": "ls"', 2)).slice(1);
    expect(args.map((delta) => (delta.tool_calls as Array<{ function: { arguments: string } }>)[0]!.function.arguments).join("")).toBe(
      '{"command": "ls"',
    );
  });

  test("the usage chunk has no choices, OpenAI usage and llama-server timings", () => {
    const chunk = usageChunk({ promptTokens: 120, completionTokens: 8, cachedTokens: 100 });
    expect(checkChatCompletionChunk.Check(chunk)).toBe(true);
    expect(chunk.choices).toEqual([]);
    expect(chunk.usage).toEqual({
      completion_tokens: 8,
      prompt_tokens: 120,
      total_tokens: 128,
      prompt_tokens_details: { cached_tokens: 100 },
    });
    expect(chunk.timings).toMatchObject({ cache_n: 100, prompt_n: 20, predicted_n: 8 });
  });
});

describe("whole replies", () => {
  test("a stream goes role, reasoning, text, tool calls, finish, usage", () => {
    const chunks = llamaServerChunks({
      reasoning: "plan",
      text: "ok",
      toolCalls: [
        { name: "Read", args: { path: "a" } },
        { name: "Bash", args: { command: "ls" } },
      ],
      usage: { promptTokens: 10, completionTokens: 5 },
      pieces: 1,
    }) as Chunk[];
    const kinds = chunks.map((chunk) => {
      if (chunk.choices.length === 0) return "usage";
      const [choice] = chunk.choices;
      if (choice!.finish_reason) return `finish:${choice!.finish_reason}`;
      return Object.keys(choice!.delta).join("+");
    });
    expect(kinds).toEqual([
      "role+content",
      "reasoning_content",
      "content",
      "tool_calls",
      "tool_calls",
      "tool_calls",
      "tool_calls",
      "finish:tool_calls",
      "usage",
    ]);
    const toolIndexes = deltas(chunks.slice(3, 7)).map((delta) => (delta.tool_calls as Array<{ index: number }>)[0]!.index);
    expect(toolIndexes).toEqual([0, 0, 1, 1]);
  });

  test("without tool calls it finishes with stop, and without usage it has no usage chunk", () => {
    const chunks = llamaServerChunks({ text: "hi" }) as Chunk[];
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
  });

  test("the non-streaming body passes the project's schema with llama-server's fields", () => {
    const body = llamaServerCompletion({
      toolCalls: [{ name: "Bash", args: { command: "ls" }, id: "t1" }],
      usage: { promptTokens: 3, completionTokens: 2, cachedTokens: 1 },
    });
    expect(checkChatCompletion.Check(body)).toBe(true);
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]!.finish_reason).toBe("tool_calls");
    expect(body.choices[0]!.message).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ type: "function", function: { name: "Bash", arguments: '{"command":"ls"}' }, id: "t1" }],
    });
    expect(body.timings.cache_n).toBe(1);
  });
});
