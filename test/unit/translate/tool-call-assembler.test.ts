import { describe, expect, test } from "bun:test";
import type { ChatToolCallDelta } from "../../../src/protocol/openai/chat-response-schema";
import { ToolCallAssembler, type ToolCallUpdate } from "../../../src/translate/tool-call-assembler";

function feed(deltas: ChatToolCallDelta[], assembler = new ToolCallAssembler({ generateId: sequentialIds() })) {
  const updates: ToolCallUpdate[] = deltas.flatMap((delta) => assembler.push(delta));
  assembler.finish();
  return { updates, calls: assembler.calls, warnings: assembler.drainWarnings() };
}

function sequentialIds() {
  let n = 0;
  return () => `toolu_generated_${++n}`;
}

describe("ToolCallAssembler", () => {
  test("llama-server / vLLM style: id + name first, then argument pieces by index", () => {
    const { updates, calls, warnings } = feed([
      { index: 0, id: "call_a", type: "function", function: { name: "Bash", arguments: "" } },
      { index: 0, function: { arguments: '{"command":' } },
      { index: 0, function: { arguments: '"ls"}' } },
    ]);
    expect(updates).toEqual([
      { type: "start", position: 0, id: "call_a", name: "Bash" },
      { type: "arguments", position: 0, text: '{"command":' },
      { type: "arguments", position: 0, text: '"ls"}' },
    ]);
    expect(calls).toEqual([{ id: "call_a", name: "Bash", arguments: '{"command":"ls"}' }]);
    expect(warnings).toEqual([]);
  });

  test("Ollama style: each call whole in one delta", () => {
    const { updates, calls } = feed([
      { index: 0, id: "call_1", type: "function", function: { name: "Read", arguments: '{"file_path":"a"}' } },
      { index: 1, id: "call_2", type: "function", function: { name: "Read", arguments: '{"file_path":"b"}' } },
    ]);
    expect(updates.map((u) => [u.type, u.position])).toEqual([
      ["start", 0],
      ["arguments", 0],
      ["start", 1],
      ["arguments", 1],
    ]);
    expect(calls.map((c) => c.arguments)).toEqual(['{"file_path":"a"}', '{"file_path":"b"}']);
  });

  test("no index on a single call: later pieces join the only call", () => {
    const { calls } = feed([
      { id: "call_x", function: { name: "Glob", arguments: '{"pattern":' } },
      { function: { arguments: '"*.ts"}' } },
    ]);
    expect(calls).toEqual([{ id: "call_x", name: "Glob", arguments: '{"pattern":"*.ts"}' }]);
  });

  test("no index, several whole calls: a new name starts a new call", () => {
    const { calls } = feed([
      { id: "call_1", function: { name: "A", arguments: "{}" } },
      { id: "call_2", function: { name: "B", arguments: "{}" } },
    ]);
    expect(calls.map((c) => [c.id, c.name])).toEqual([
      ["call_1", "A"],
      ["call_2", "B"],
    ]);
  });

  test("the id repeated on every delta (with or without index) stays one call", () => {
    for (const index of [0, undefined]) {
      const { calls } = feed([
        { index, id: "call_r", function: { name: "Edit", arguments: '{"a":' } },
        { index, id: "call_r", function: { arguments: "1}" } },
        { index, id: "call_r", function: { name: "Edit", arguments: "" } },
      ]);
      expect(calls).toEqual([{ id: "call_r", name: "Edit", arguments: '{"a":1}' }]);
    }
  });

  test("parallel calls all numbered 0 but with new ids are told apart", () => {
    const { calls } = feed([
      { index: 0, id: "call_1", function: { name: "A", arguments: '{"x":1}' } },
      { index: 0, id: "call_2", function: { name: "B", arguments: '{"y":' } },
      { index: 0, function: { arguments: "2}" } },
    ]);
    expect(calls).toEqual([
      { id: "call_1", name: "A", arguments: '{"x":1}' },
      { id: "call_2", name: "B", arguments: '{"y":2}' },
    ]);
  });

  test("a call without an id gets a generated one", () => {
    const { updates } = feed([{ index: 0, function: { name: "Bash", arguments: "{}" } }]);
    expect(updates[0]).toEqual({ type: "start", position: 0, id: "toolu_generated_1", name: "Bash" });
  });

  test("the default id generator makes Anthropic-shaped ids", () => {
    const assembler = new ToolCallAssembler();
    const [start] = assembler.push({ index: 0, id: "", function: { name: "Bash" } });
    expect(start).toMatchObject({ type: "start", name: "Bash" });
    expect((start as { id: string }).id).toMatch(/^toolu_[0-9a-f]{24}$/);
  });

  test("arguments before the name are held until the name arrives", () => {
    const { updates } = feed([
      { index: 0, function: { arguments: '{"a":' } },
      { index: 0, id: "call_late", function: { name: "Late", arguments: "1}" } },
    ]);
    expect(updates).toEqual([
      { type: "start", position: 0, id: "call_late", name: "Late" },
      { type: "arguments", position: 0, text: '{"a":1}' },
    ]);
  });

  test("empty argument pieces produce no update", () => {
    const { updates } = feed([
      { index: 0, id: "c", function: { name: "A", arguments: "" } },
      { index: 0, function: { arguments: "" } },
      { index: 0, function: { arguments: null } },
    ]);
    expect(updates).toEqual([{ type: "start", position: 0, id: "c", name: "A" }]);
  });

  test("a piece for an earlier call after a later one started is dropped with a warning", () => {
    const { updates, calls, warnings } = feed([
      { index: 0, id: "c0", function: { name: "A", arguments: '{"a":' } },
      { index: 1, id: "c1", function: { name: "B", arguments: "{}" } },
      { index: 0, function: { arguments: "1}" } },
    ]);
    expect(updates.filter((u) => u.position === 0 && u.type === "arguments")).toHaveLength(1);
    expect(calls[0]!.arguments).toBe('{"a":');
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["late-tool-call-fragment", "tool_calls[0].function.arguments"]]);
  });

  test("a call that never gets a name is reported at finish", () => {
    const { updates, calls, warnings } = feed([{ index: 2, function: { arguments: '{"a":1}' } }]);
    expect(updates).toEqual([]);
    expect(calls).toEqual([]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["tool-call-without-name", "tool_calls[2]"]]);
  });
});
