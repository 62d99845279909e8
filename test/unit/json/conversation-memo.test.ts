import { describe, expect, test } from "bun:test";
import { ConversationMemo, reuse, reuseForItems, reuseInContext } from "../../../src/json/conversation-memo";
import { deepFreeze } from "../../../src/json/deep-freeze";
import { exceedsNesting } from "../../../src/json/exceeds-nesting";
import { skipJsonValue } from "../../../src/json/skip-json-value";
import { stringifyReusingFrozen } from "../../../src/json/stringify-reusing-frozen";

describe("deepFreeze", () => {
  test("freezes every object and array inside, leaving typed arrays as they are", () => {
    const value = deepFreeze({ a: [{ b: 1 }], c: { d: [2] }, bytes: new Uint8Array(2) });
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value.c.d)).toBe(true);
    expect(() => {
      (value.c.d as number[]).push(3);
    }).toThrow(TypeError);
  });
});

describe("ConversationMemo", () => {
  test("reuse computes once per frozen argument and freezes the result; unfrozen arguments every time", () => {
    const memo = new ConversationMemo();
    let calls = 0;
    const double = (list: readonly number[]) => {
      calls++;
      return { doubled: list.map((n) => n * 2) };
    };
    const frozen = deepFreeze([1, 2]);
    expect(memo.reuse(double, frozen)).toBe(memo.reuse(double, frozen));
    expect(calls).toBe(1);
    expect(Object.isFrozen(memo.reuse(double, frozen).doubled)).toBe(true);
    const open = [1, 2];
    expect(memo.reuse(double, open)).not.toBe(memo.reuse(double, open));
    expect(memo.reuse(double, open)).toEqual({ doubled: [2, 4] });
    expect(calls).toBe(4);
  });

  test("keeps each step's results apart, and each memo its own", () => {
    const frozen = deepFreeze({ text: "a" });
    const upper = (value: { text: string }) => ({ text: value.text.toUpperCase() });
    const twice = (value: { text: string }) => ({ text: value.text.repeat(2) });
    const memo = new ConversationMemo();
    expect(memo.reuse(upper, frozen).text).toBe("A");
    expect(memo.reuse(twice, frozen).text).toBe("aa");
    expect(memo.reuse(upper, frozen)).toBe(memo.reuse(upper, frozen));
    const other = new ConversationMemo();
    expect(other.reuse(upper, frozen)).not.toBe(memo.reuse(upper, frozen));
  });

  test("reuseInContext holds while the context is the same, and recomputes when it changes", () => {
    const memo = new ConversationMemo();
    let calls = 0;
    const label = (value: { text: string }, path: string) => {
      calls++;
      return `${path}: ${value.text}`;
    };
    const frozen = deepFreeze({ text: "a" });
    expect(memo.reuseInContext(label, frozen, "messages[0]", Object.is)).toBe("messages[0]: a");
    expect(memo.reuseInContext(label, frozen, "messages[0]", Object.is)).toBe("messages[0]: a");
    expect(calls).toBe(1);
    expect(memo.reuseInContext(label, frozen, "messages[1]", Object.is)).toBe("messages[1]: a");
    expect(calls).toBe(2);
  });

  test("reuseForItems hits for a new list holding the same frozen items, misses for other items or any unfrozen one", () => {
    const memo = new ConversationMemo();
    let calls = 0;
    const join = (items: ReadonlyArray<{ text: string }>) => {
      calls++;
      return { text: items.map((item) => item.text).join("\n") };
    };
    const a = deepFreeze({ text: "a" });
    const b = deepFreeze({ text: "b" });
    expect(memo.reuseForItems(join, [a, b])).toBe(memo.reuseForItems(join, [a, b]));
    expect(calls).toBe(1);
    expect(memo.reuseForItems(join, [b, a]).text).toBe("b\na");
    expect(memo.reuseForItems(join, [a, { text: "c" }]).text).toBe("a\nc");
    expect(memo.reuseForItems(join, [a, { text: "c" }])).not.toBe(memo.reuseForItems(join, [a, { text: "c" }]));
    expect(memo.reuseForItems(join, [a, deepFreeze({ text: "b" })]).text).toBe("a\nb");
    expect(memo.reuseForItems(join, [])).toEqual({ text: "" });
    expect(calls).toBe(7);
  });

  test("a step that throws leaves nothing remembered", () => {
    const memo = new ConversationMemo();
    const fail = (_value: object): number => {
      throw new Error("no");
    };
    const frozen = deepFreeze({});
    expect(() => memo.reuse(fail, frozen)).toThrow("no");
    expect(() => memo.reuse(fail, frozen)).toThrow("no");
  });

  test("the free forms compute afresh without a memo, with the same result", () => {
    const frozen = deepFreeze({ text: "a" });
    const upper = (value: { text: string }) => ({ text: value.text.toUpperCase() });
    expect(reuse(undefined, upper, frozen)).toEqual(reuse(new ConversationMemo(), upper, frozen));
    expect(reuse(undefined, upper, frozen)).not.toBe(reuse(undefined, upper, frozen));
    const label = (value: { text: string }, path: string) => `${path}: ${value.text}`;
    expect(reuseInContext(undefined, label, frozen, "p", Object.is)).toBe("p: a");
    expect(reuseForItems(undefined, (items: readonly { text: string }[]) => items.length, [frozen])).toBe(1);
  });
});

describe("stringifyReusingFrozen", () => {
  const decode = (out: string | Uint8Array) => (typeof out === "string" ? out : new TextDecoder().decode(out));
  test.each([
    ["frozen members", { a: 1, t: deepFreeze([{ x: "é☃" }]), b: undefined, c: "z" }],
    ["two frozen members in a row", { t: deepFreeze([1]), u: deepFreeze({ y: 2 }) }],
    ["a leading member left out", { b: undefined, t: deepFreeze([1]) }],
    ["functions left out", { a: "☃", t: deepFreeze([1]), f: () => 1 }],
    ["frozen items in an array member", { m: [deepFreeze({ a: "☃" }), { b: 2 }, undefined, deepFreeze({ c: [] })], z: [] }],
    ["empty arrays and a frozen empty object", { m: [], n: [1, deepFreeze({})] }],
    ["nothing frozen", { m: [1, 2], s: "😀" }],
  ])("writes exactly what JSON.stringify writes: %s", (_name, body) => {
    const memo = new ConversationMemo();
    expect(decode(stringifyReusingFrozen(body, memo))).toBe(JSON.stringify(body));
    expect(decode(stringifyReusingFrozen(body, memo))).toBe(JSON.stringify(body));
    expect(stringifyReusingFrozen(body, undefined)).toBe(JSON.stringify(body));
  });

  test("writes a frozen value's JSON once, into the memo's write buffer, valid until the next body", () => {
    const memo = new ConversationMemo();
    let reads = 0;
    const counting = deepFreeze({
      get name() {
        reads++;
        return "Read";
      },
    });
    const tools = deepFreeze([{ name: "Bash" }]);
    reads = 0;
    const first = stringifyReusingFrozen({ model: "a", tools, more: [counting] }, memo) as Uint8Array;
    expect(decode(first)).toBe('{"model":"a","tools":[{"name":"Bash"}],"more":[{"name":"Read"}]}');
    const second = stringifyReusingFrozen({ model: "b", tools, more: [counting] }, memo) as Uint8Array;
    expect(decode(second)).toBe('{"model":"b","tools":[{"name":"Bash"}],"more":[{"name":"Read"}]}');
    expect(reads).toBe(1);
    expect(second.buffer).toBe(first.buffer);
  });

  test("a conversation's messages: the leading frozen run is followed turn after turn, and only the new ones are written", () => {
    const memo = new ConversationMemo();
    const messages = Array.from({ length: 6 }, (_, index) =>
      deepFreeze({ role: index % 2 === 0 ? "user" : "assistant", content: `m${index} é` }),
    );
    for (let turn = 1; turn <= messages.length; turn++) {
      // The newest message is not frozen, as a message new to the parser is not.
      const body = { model: "m", messages: [...messages.slice(0, turn - 1), { ...messages[turn - 1]! }], stream: true };
      expect(decode(stringifyReusingFrozen(body, memo))).toBe(JSON.stringify(body));
    }
    // Another conversation in between, then the first one again with a changed message in the middle.
    const other = { model: "m", messages: [deepFreeze({ role: "user", content: "other" })] };
    expect(decode(stringifyReusingFrozen(other, memo))).toBe(JSON.stringify(other));
    const changed = { model: "m", messages: [messages[0], messages[1], deepFreeze({ role: "user", content: "changed" }), messages[3]] };
    expect(decode(stringifyReusingFrozen(changed, memo))).toBe(JSON.stringify(changed));
  });
});

describe("writeBuffer", () => {
  test("hands out the same buffer while it is large enough, and a buffer of its own over 1 MB", () => {
    const memo = new ConversationMemo();
    const small = memo.writeBuffer(100);
    expect(memo.writeBuffer(50)).toBe(small);
    expect(memo.writeBuffer(small.length + 1)).not.toBe(small);
    const huge = memo.writeBuffer(2 * 1024 * 1024);
    expect(huge.length).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(memo.writeBuffer(2 * 1024 * 1024)).not.toBe(huge);
  });
});

describe("skipJsonValue", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  test.each([
    ['[{"a":"]"},2] tail', 0, 13],
    ['"a \\" b" rest', 0, 8],
    ['"ends in backslash \\\\", 1', 0, 22],
    ["123,4", 0, 3],
    ["true]", 0, 4],
    ["[1,[2,[3]]]", 0, 11],
    ['{"é":"☃"}', 0, 12],
  ])("%s from %i ends at %i", (text, start, end) => {
    expect(skipJsonValue(bytes(text), start)).toBe(end);
  });

  test.each([
    ["[1,2", 0],
    ['"open', 0],
    ["]", 0],
    [",", 0],
  ])("%s is not a complete value", (text, start) => {
    expect(skipJsonValue(bytes(text), start)).toBe(-1);
  });
});

describe("exceedsNesting", () => {
  test("counts depth from the root and skips frozen values", () => {
    expect(exceedsNesting([[[1]]], 3)).toBe(false);
    expect(exceedsNesting([[[[1]]]], 3)).toBe(true);
    expect(exceedsNesting([deepFreeze([[[[1]]]])], 3)).toBe(false);
  });
});
