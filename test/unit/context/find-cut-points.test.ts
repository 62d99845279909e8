import { expect, test } from "bun:test";
import { findCutPoints } from "../../../src/context/find-cut-points";
import type { MessageParam } from "../../../src/protocol/anthropic/messages";

const user = (text: string): MessageParam => ({ role: "user", content: text });
const assistant = (text: string): MessageParam => ({ role: "assistant", content: [{ type: "text", text }] });
const call = (id: string): MessageParam => ({ role: "assistant", content: [{ type: "tool_use", id, name: "Bash", input: {} }] });
const answer = (...ids: string[]): MessageParam => ({
  role: "user",
  content: ids.map((id) => ({ type: "tool_result" as const, tool_use_id: id, content: "ok" })),
});

test("cuts only before an assistant message, never inside the last exchange", () => {
  const messages = [user("task"), assistant("a"), user("b"), assistant("c"), user("d"), assistant("e"), user("f")];
  expect(findCutPoints(messages)).toEqual({ headLength: 1, cuts: [1, 3, 5], requestEnds: [2, 4, 6] });
});

test("a tool call answered later than the next message keeps everything between them together", () => {
  const messages = [user("task"), call("t1"), user("wait"), assistant("x"), answer("t1"), assistant("y"), user("z")];
  expect(findCutPoints(messages).cuts).toEqual([1, 5]);
});

test("a conversation that opens with a tool call keeps the call and its answer in the head", () => {
  const messages = [call("t0"), answer("t0"), call("t1"), answer("t1"), assistant("done"), user("next")];
  expect(findCutPoints(messages)).toEqual({ headLength: 2, cuts: [2, 4], requestEnds: [3, 5] });
});

test("with no user message nothing can be cut", () => {
  expect(findCutPoints([assistant("alone")])).toEqual({ headLength: 1, cuts: [1], requestEnds: [] });
});
