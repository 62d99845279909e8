/** Serializes metadata and F32 tensors into a GGUF version 3 file, the container llama.cpp loads models from. */

/** The GGUF value types this writer emits, by their numeric code in the format. */
const GgufType = {
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
} as const;

export type GgufValue =
  | { type: "u32" | "i32" | "f32"; value: number }
  | { type: "u64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "f32[]"; value: Float32Array }
  | { type: "i32[]"; value: Int32Array };

export interface GgufTensor {
  name: string;
  /** Dimensions with ne0 (the fastest-varying, input-feature axis) first, as ggml counts them. */
  dims: readonly number[];
  data: Float32Array;
}

export interface GgufContent {
  metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>;
  tensors: readonly GgufTensor[];
  /** Must match the `general.alignment` metadata value when that key is present; llama.cpp defaults to 32. */
  alignment?: number;
}

const GGML_TYPE_F32 = 0;

/** A growable little-endian byte buffer: the format is a plain sequence of fixed-width fields and strings. */
class ByteSink {
  private bytes = new Uint8Array(1 << 16);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(n: number): number {
    if (this.length + n > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < this.length + n) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  // Each writer reserves first: reserve() may swap in a bigger buffer and view.
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  u64(v: bigint | number): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  raw(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.bytes.set(data, at);
  }
  string(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.u64(utf8.length);
    this.raw(utf8);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.reserve(pad); // fresh bytes are already zero
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function writeValue(out: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case "u32":
      out.u32(GgufType.u32);
      out.u32(value.value);
      return;
    case "i32":
      out.u32(GgufType.i32);
      out.i32(value.value);
      return;
    case "f32":
      out.u32(GgufType.f32);
      out.f32(value.value);
      return;
    case "u64":
      out.u32(GgufType.u64);
      out.u64(value.value);
      return;
    case "bool":
      out.u32(GgufType.bool);
      out.u8(value.value ? 1 : 0);
      return;
    case "string":
      out.u32(GgufType.string);
      out.string(value.value);
      return;
    case "string[]":
      out.u32(GgufType.array);
      out.u32(GgufType.string);
      out.u64(value.value.length);
      for (const s of value.value) out.string(s);
      return;
    case "f32[]":
      out.u32(GgufType.array);
      out.u32(GgufType.f32);
      out.u64(value.value.length);
      for (const v of value.value) out.f32(v);
      return;
    case "i32[]":
      out.u32(GgufType.array);
      out.u32(GgufType.i32);
      out.u64(value.value.length);
      for (const v of value.value) out.i32(v);
      return;
  }
}

/**
 * Lays out header, metadata, tensor infos, padding and 32-byte-aligned tensor data.
 * @example
 * const bytes = encodeGguf({ metadata: [["general.architecture", { type: "string", value: "llama" }]], tensors: [] });
 */
export function encodeGguf(content: GgufContent): Uint8Array {
  const alignment = content.alignment ?? 32;
  const out = new ByteSink();
  out.raw(new TextEncoder().encode("GGUF"));
  out.u32(3);
  out.u64(content.tensors.length);
  out.u64(content.metadata.length);
  for (const [key, value] of content.metadata) {
    out.string(key);
    writeValue(out, value);
  }

  let offset = 0;
  for (const tensor of content.tensors) {
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(`tensor ${tensor.name}: dims ${tensor.dims.join("x")} need ${elements} values, got ${tensor.data.length}`);
    }
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil((elements * 4) / alignment) * alignment;
  }

  out.padTo(alignment);
  for (const tensor of content.tensors) {
    // Float32Array memory is host-endian; every platform llama.cpp's CPU build targets here is little-endian like GGUF.
    out.raw(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(alignment);
  }
  return out.result();
}
