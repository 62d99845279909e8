/**
 * A stand-in for all-MiniLM-L6-v2's ONNX file: the same inputs (`input_ids`, `attention_mask`,
 * `token_type_ids`, int64 [batch, sequence]) and output (`last_hidden_state`, float
 * [batch, sequence, 384]), opset 17, so the embedder's real loading, session, pooling and index
 * code run on it. No real weights are reachable offline; this one is generated, deterministic,
 * about 600 KB, in well under a second.
 *
 * Each token's vector depends on its id (and type) only: sin(id · freq + phase), mixed by a
 * 384×384 matrix, plus a type embedding, layer-normalized, zeroed where the mask is 0. Mean
 * pooled, texts sharing words come out close and texts sharing none far apart: enough to test
 * thresholds and plumbing, not semantic quality.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { onnx } from "onnx-proto";
import { seededRandom } from "./seeded-random";

const STANDIN_DIMENSIONS = 384;
const OPSET = 17;

export interface StandinOptions {
  /** Another seed, another model (another SHA-256, other vectors). */
  seed?: number;
  /** Anything but 384 makes a model the embedder must refuse. */
  dimensions?: number;
}

/**
 * @example
 * const bytes = generateMiniLMStandin(); // Uint8Array, an ONNX ModelProto
 */
export function generateMiniLMStandin(options: StandinOptions = {}): Uint8Array {
  const random = seededRandom(options.seed ?? 1);
  const d = options.dimensions ?? STANDIN_DIMENSIONS;
  const initializers = [
    floatTensor("freq", [d], () => 0.05 + random() * 2),
    floatTensor("phase", [d], () => random() * 2 * Math.PI),
    floatTensor("mix", [d, d], () => (random() * 2 - 1) / Math.sqrt(d)),
    floatTensor("type_embeddings", [2, d], () => (random() * 2 - 1) * 0.1),
    floatTensor("norm_scale", [d], () => 1),
    floatTensor("norm_bias", [d], () => 0),
    int64Tensor("last_axis", [1], [-1]),
  ];
  const nodes: onnx.INodeProto[] = [
    node("Cast", ["input_ids"], ["ids_float"], [intAttribute("to", onnx.TensorProto.DataType.FLOAT)]),
    node("Unsqueeze", ["ids_float", "last_axis"], ["ids_column"]),
    node("Mul", ["ids_column", "freq"], ["angles"]),
    node("Add", ["angles", "phase"], ["shifted"]),
    node("Sin", ["shifted"], ["waves"]),
    node("MatMul", ["waves", "mix"], ["mixed"]),
    node("Gather", ["type_embeddings", "token_type_ids"], ["type_vectors"], [intAttribute("axis", 0)]),
    node("Add", ["mixed", "type_vectors"], ["typed"]),
    node(
      "LayerNormalization",
      ["typed", "norm_scale", "norm_bias"],
      ["normalized"],
      [intAttribute("axis", -1), floatAttribute("epsilon", 1e-12)],
    ),
    node("Cast", ["attention_mask"], ["mask_float"], [intAttribute("to", onnx.TensorProto.DataType.FLOAT)]),
    node("Unsqueeze", ["mask_float", "last_axis"], ["mask_column"]),
    node("Mul", ["normalized", "mask_column"], ["last_hidden_state"]),
  ];
  const sequenceInput = (name: string) => valueInfo(name, onnx.TensorProto.DataType.INT64, ["batch_size", "sequence_length"]);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "anyclaude-minilm-standin",
    opsetImport: [{ domain: "", version: OPSET }],
    graph: {
      name: "minilm_standin",
      node: nodes,
      initializer: initializers,
      input: [sequenceInput("input_ids"), sequenceInput("attention_mask"), sequenceInput("token_type_ids")],
      output: [valueInfo("last_hidden_state", onnx.TensorProto.DataType.FLOAT, ["batch_size", "sequence_length", d])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * @example
 * const modelPath = writeMiniLMStandin(join(scratch, "minilm-standin.onnx"));
 */
export function writeMiniLMStandin(path: string, options: StandinOptions = {}): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, generateMiniLMStandin(options));
  return path;
}

function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input, output, attribute, name: output[0] };
}

function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function floatAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

function floatTensor(name: string, dims: number[], value: () => number): onnx.ITensorProto {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let index = 0; index < data.length; index++) data[index] = value();
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

function int64Tensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.from(values, BigInt).buffer) };
}

function valueInfo(name: string, elemType: number, shape: (string | number)[]): onnx.IValueInfoProto {
  const dim = shape.map((size) => (typeof size === "string" ? { dimParam: size } : { dimValue: size }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}
