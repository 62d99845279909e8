/** Parses a GGUF version 3 file's header, metadata and tensor table, so tests can check what the writer produced. */

type GgufReadValue = number | bigint | boolean | string | GgufReadValue[];

interface GgufTensorInfo {
  name: string;
  dims: number[];
  /** ggml type code: 0 is F32. */
  type: number;
  /** Byte offset from the start of the data section. */
  offset: number;
}

export interface GgufFile {
  version: number;
  metadata: Map<string, GgufReadValue>;
  tensors: GgufTensorInfo[];
  /** Absolute byte offset where the tensor table ends; zero padding runs from here to dataOffset. */
  headerEnd: number;
  /** Absolute byte offset of the data section. */
  dataOffset: number;
}

class ByteSource {
  private readonly view: DataView;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  at = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private take(n: number): number {
    if (this.at + n > this.bytes.length) throw new Error(`GGUF truncated at byte ${this.at}`);
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8), true);
  }
  count(): number {
    return Number(this.u64());
  }
  string(): string {
    const n = this.count();
    const at = this.take(n);
    return this.decoder.decode(this.bytes.subarray(at, at + n));
  }
}

function readValue(src: ByteSource, type: number): GgufReadValue {
  switch (type) {
    case 0:
      return src.u8();
    case 1:
      return src.i8();
    case 2:
      return src.u16();
    case 3:
      return src.i16();
    case 4:
      return src.u32();
    case 5:
      return src.i32();
    case 6:
      return src.f32();
    case 7:
      return src.u8() !== 0;
    case 8:
      return src.string();
    case 9: {
      const itemType = src.u32();
      const n = src.count();
      const items: GgufReadValue[] = [];
      for (let i = 0; i < n; i++) items.push(readValue(src, itemType));
      return items;
    }
    case 10:
      return src.u64();
    case 11:
      return src.i64();
    case 12:
      return src.f64();
    default:
      throw new Error(`unknown GGUF value type ${type}`);
  }
}

/**
 * @example
 * const file = readGguf(await Bun.file("model.gguf").bytes());
 * file.metadata.get("general.architecture"); // "llama"
 */
export function readGguf(bytes: Uint8Array): GgufFile {
  const src = new ByteSource(bytes);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== "GGUF") throw new Error(`not a GGUF file (magic ${JSON.stringify(magic)})`);
  src.at = 4;
  const version = src.u32();
  const tensorCount = src.count();
  const kvCount = src.count();
  const metadata = new Map<string, GgufReadValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = src.string();
    metadata.set(key, readValue(src, src.u32()));
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = src.string();
    const nDims = src.u32();
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(src.count());
    tensors.push({ name, dims, type: src.u32(), offset: src.count() });
  }
  const alignment = Number(metadata.get("general.alignment") ?? 32);
  const dataOffset = Math.ceil(src.at / alignment) * alignment;
  return { version, metadata, tensors, headerEnd: src.at, dataOffset };
}

/** The values of one F32 tensor, copied out of the file. */
export function readGgufTensorF32(bytes: Uint8Array, file: GgufFile, name: string): Float32Array {
  const info = file.tensors.find((t) => t.name === name);
  if (!info) throw new Error(`no tensor named ${name}`);
  if (info.type !== 0) throw new Error(`tensor ${name} is ggml type ${info.type}, not F32`);
  const n = info.dims.reduce((a, b) => a * b, 1);
  const start = file.dataOffset + info.offset;
  return new Float32Array(bytes.slice(start, start + n * 4).buffer);
}
