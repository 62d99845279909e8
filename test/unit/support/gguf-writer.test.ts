import { describe, expect, test } from "bun:test";
import { readGguf, readGgufTensorF32 } from "../../support/gguf-reader";
import { encodeGguf, type GgufContent } from "../../support/gguf-writer";

const content: GgufContent = {
  metadata: [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.alignment", { type: "u32", value: 32 }],
    ["test.i32", { type: "i32", value: -7 }],
    ["test.f32", { type: "f32", value: 0.25 }],
    ["test.u64", { type: "u64", value: 1n << 40n }],
    ["test.bool", { type: "bool", value: true }],
    ["test.unicode", { type: "string", value: "\u2581hello — ✓" }],
    ["test.strings", { type: "string[]", value: ["<s>", "", "\u2581a"] }],
    ["test.floats", { type: "f32[]", value: Float32Array.of(1.5, -2) }],
    ["test.ints", { type: "i32[]", value: Int32Array.of(1, 6, -1) }],
  ],
  tensors: [
    { name: "odd", dims: [3], data: Float32Array.of(1, 2, 3) },
    { name: "matrix", dims: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => i / 2) },
  ],
};

describe("encodeGguf", () => {
  const bytes = encodeGguf(content);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  test("writes the GGUF v3 header: magic, version, tensor count, metadata count", () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("GGUF");
    expect(view.getUint32(4, true)).toBe(3);
    expect(view.getBigUint64(8, true)).toBe(2n);
    expect(view.getBigUint64(16, true)).toBe(BigInt(content.metadata.length));
    // The first key follows as a u64 length and its UTF-8 bytes.
    expect(view.getBigUint64(24, true)).toBe(BigInt("general.architecture".length));
    expect(new TextDecoder().decode(bytes.subarray(32, 32 + 20))).toBe("general.architecture");
  });

  test("metadata reads back with the same keys, order and values", () => {
    const file = readGguf(bytes);
    expect(file.version).toBe(3);
    expect([...file.metadata.keys()]).toEqual(content.metadata.map(([key]) => key));
    expect(file.metadata.get("general.architecture")).toBe("llama");
    expect(file.metadata.get("test.i32")).toBe(-7);
    expect(file.metadata.get("test.f32")).toBe(0.25);
    expect(file.metadata.get("test.u64")).toBe(1n << 40n);
    expect(file.metadata.get("test.bool")).toBe(true);
    expect(file.metadata.get("test.unicode")).toBe("\u2581hello — ✓");
    expect(file.metadata.get("test.strings")).toEqual(["<s>", "", "\u2581a"]);
    expect(file.metadata.get("test.floats")).toEqual([1.5, -2]);
    expect(file.metadata.get("test.ints")).toEqual([1, 6, -1]);
  });

  test("tensor data starts 32-byte aligned, each tensor at an aligned offset, and reads back", () => {
    const file = readGguf(bytes);
    expect(file.dataOffset % 32).toBe(0);
    expect(file.tensors.map(({ name, dims, type }) => ({ name, dims, type }))).toEqual([
      { name: "odd", dims: [3], type: 0 },
      { name: "matrix", dims: [2, 3], type: 0 },
    ]);
    expect(file.tensors.map((t) => t.offset)).toEqual([0, 32]);
    expect([...readGgufTensorF32(bytes, file, "odd")]).toEqual([1, 2, 3]);
    expect([...readGgufTensorF32(bytes, file, "matrix")]).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    // Padding after the last tensor keeps the file length aligned too.
    expect(bytes.length).toBe(file.dataOffset + 32 + 32);
  });

  test("the padding between metadata and data is zero bytes", () => {
    const file = readGguf(bytes);
    expect(file.dataOffset - file.headerEnd).toBeLessThan(32);
    expect([...bytes.subarray(file.headerEnd, file.dataOffset)].every((b) => b === 0)).toBe(true);
  });

  test("rejects a tensor whose data does not match its dims", () => {
    expect(() => encodeGguf({ metadata: [], tensors: [{ name: "bad", dims: [2, 2], data: new Float32Array(3) }] })).toThrow(
      "tensor bad: dims 2x2 need 4 values, got 3",
    );
  });

  test("the reader refuses a file that is not GGUF", () => {
    expect(() => readGguf(new TextEncoder().encode("GGML\0\0\0\0"))).toThrow("not a GGUF file");
  });
});
