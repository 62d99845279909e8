import { describe, expect, test } from "bun:test";
import { deepFreeze } from "../../../src/json/deep-freeze";
import { exceedsNesting } from "../../../src/json/exceeds-nesting";
import { memoizeFrozen } from "../../../src/json/memoize-frozen";
import { memoizeFrozenList } from "../../../src/json/memoize-frozen-list";
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

describe("memoizeFrozen", () => {
  test("computes once per frozen argument and freezes the result; unfrozen arguments every time", () => {
    let calls = 0;
    const convert = memoizeFrozen((list: number[]) => {
      calls++;
      return { doubled: list.map((n) => n * 2) };
    });
    const frozen = deepFreeze([1, 2]);
    expect(convert(frozen)).toBe(convert(frozen));
    expect(calls).toBe(1);
    expect(Object.isFrozen(convert(frozen).doubled)).toBe(true);
    const open = [1, 2];
    expect(convert(open)).not.toBe(convert(open));
    expect(convert(open)).toEqual({ doubled: [2, 4] });
    expect(calls).toBe(4);
  });
});

describe("memoizeFrozenList", () => {
  test("hits for a new list holding the same frozen items, misses for other items or any unfrozen one", () => {
    let calls = 0;
    const join = memoizeFrozenList((items: ReadonlyArray<{ text: string }>) => {
      calls++;
      return { text: items.map((item) => item.text).join("\n") };
    });
    const a = deepFreeze({ text: "a" });
    const b = deepFreeze({ text: "b" });
    expect(join([a, b])).toBe(join([a, b]));
    expect(calls).toBe(1);
    expect(join([b, a]).text).toBe("b\na");
    expect(join([a, { text: "c" }]).text).toBe("a\nc");
    expect(join([a, { text: "c" }])).not.toBe(join([a, { text: "c" }]));
    expect(join([a, deepFreeze({ text: "b" })]).text).toBe("a\nb");
    expect(calls).toBe(6);
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
    expect(decode(stringifyReusingFrozen(body))).toBe(JSON.stringify(body));
  });

  test("writes a frozen value's JSON once", () => {
    const tools = deepFreeze([{ name: "Bash" }]);
    const first = stringifyReusingFrozen({ model: "a", tools }) as Uint8Array;
    const second = stringifyReusingFrozen({ model: "b", tools }) as Uint8Array;
    expect(decode(second)).toBe('{"model":"b","tools":[{"name":"Bash"}]}');
    expect(first).not.toBe(second);
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
