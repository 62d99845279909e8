/**
 * MiniLMEmbedder on a real ONNX Runtime session over the generated stand-in model (MiniLM's
 * exact signature): similarity order with margins, batching and padding that change nothing,
 * lazy loading, the model lookup, and the errors for a missing or wrong model file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateMiniLMModel, MINILM_FILE_NAME } from "../../../src/embed/locate-minilm-model";
import { MiniLMEmbedder } from "../../../src/embed/minilm-embedder";
import { generateMiniLMStandin, writeMiniLMStandin } from "../../support/generate-minilm-standin";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-minilm-"));
const cacheDir = join(scratch, "cache");
const modelPath = writeMiniLMStandin(join(scratch, "standin.onnx"));
let embedder: MiniLMEmbedder;

beforeAll(async () => {
  embedder = new MiniLMEmbedder({ modelPath, cacheDir });
  await embedder.load();
});
afterAll(async () => {
  await embedder.close();
  rmSync(scratch, { recursive: true, force: true });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index]! * b[index]!;
  return dot;
}

function expectSameVector(actual: Float32Array, expected: Float32Array) {
  expect(actual.length).toBe(expected.length);
  let largest = 0;
  for (let index = 0; index < actual.length; index++) largest = Math.max(largest, Math.abs(actual[index]! - expected[index]!));
  expect(largest).toBeLessThan(1e-5);
}

describe("vectors", () => {
  test("384 dimensions, unit length", async () => {
    const [vector] = await embedder.embed(["how do i sort a list in python?"]);
    expect(vector!.length).toBe(384);
    expect(Math.abs(Math.hypot(...vector!) - 1)).toBeLessThan(1e-5);
    expect(embedder.dimensions).toBe(384);
  });

  test("identical text: cosine 1; a paraphrase: high; an unrelated question: low, well below the paraphrase", async () => {
    const [query, same, recased, paraphrase, unrelated] = await embedder.embed([
      "how do i sort a list in python?",
      "how do i sort a list in python?",
      "How do I sort a list in Python?",
      "how can i sort a python list?",
      "what is the capital of france?",
    ]);
    expect(cosine(query!, same!)).toBeGreaterThan(0.9999);
    // Uncased: the tokenizer lowercases, so the model sees the same ids.
    expect(cosine(query!, recased!)).toBeGreaterThan(0.9999);
    const paraphraseSimilarity = cosine(query!, paraphrase!);
    const unrelatedSimilarity = cosine(query!, unrelated!);
    expect(paraphraseSimilarity).toBeGreaterThan(0.8);
    expect(unrelatedSimilarity).toBeLessThan(0.6);
    expect(paraphraseSimilarity - unrelatedSimilarity).toBeGreaterThan(0.25);
  });

  test("a batch gives the same vectors as one text at a time, in the order given", async () => {
    const texts = ["short", "a somewhat longer sentence about sorting lists", "", "日本人", "x ".repeat(400)];
    const together = await embedder.embed(texts);
    for (const [index, text] of texts.entries()) expectSameVector(together[index]!, (await embedder.embed([text]))[0]!);
  });

  test("padding does not change a vector: a short text beside a 256-token one", async () => {
    const [alone] = await embedder.embed(["sort a list"]);
    const [padded] = await embedder.embed(["sort a list", "word ".repeat(300)]);
    expectSameVector(padded!, alone!);
  });

  test("more texts than one batch holds are split into several and keep their order", async () => {
    const small = new MiniLMEmbedder({ modelPath, cacheDir, maxBatchSize: 2 });
    const texts = ["one", "two two", "three three three", "four", "five five"];
    const split = await small.embed(texts);
    const whole = await embedder.embed(texts);
    for (const index of texts.keys()) expectSameVector(split[index]!, whole[index]!);
    await small.close();
  });

  test("no texts: no vectors, no work", async () => {
    expect(await embedder.embed([])).toEqual([]);
  });
});

describe("loading", () => {
  test("load() reports the file, its origin, size, SHA-256 and time; id carries the hash", async () => {
    const report = await embedder.load();
    const sha256 = new Bun.CryptoHasher("sha256").update(generateMiniLMStandin()).digest("hex");
    expect(report).toMatchObject({
      source: "minilm",
      path: modelPath,
      origin: "configured",
      bytes: generateMiniLMStandin().length,
      sha256,
    });
    expect(report.loadMs).toBeGreaterThan(0);
    expect(embedder.id).toBe(`minilm-l6-v2:${sha256.slice(0, 16)}`);
  });

  test("the id is known before loading (it hashes the file) and changes with the model", () => {
    const otherPath = writeMiniLMStandin(join(scratch, "other.onnx"), { seed: 2 });
    expect(new MiniLMEmbedder({ modelPath, cacheDir }).id).toBe(embedder.id);
    expect(new MiniLMEmbedder({ modelPath: otherPath, cacheDir }).id).not.toBe(embedder.id);
  });

  test("construction loads nothing: a missing file fails only at the first embed, saying how to get one", async () => {
    const missing = join(scratch, "nowhere", "model.onnx");
    const lazy = new MiniLMEmbedder({ modelPath: missing, cacheDir });
    await expect(lazy.embed(["hello"])).rejects.toThrow(
      `no all-MiniLM-L6-v2 ONNX file at ${missing}; run \`anyclaude models pull\`, or pass --model-path FILE`,
    );
  });

  test("a failed load is not remembered: once the file exists, the next embed loads it", async () => {
    const later = join(scratch, "later", "model.onnx");
    const eventually = new MiniLMEmbedder({ modelPath: later, cacheDir });
    await expect(eventually.load()).rejects.toThrow("no all-MiniLM-L6-v2 ONNX file");
    writeMiniLMStandin(later);
    expect((await eventually.embed(["hello"]))[0]!.length).toBe(384);
    await eventually.close();
  });

  test("a file that is not an ONNX model fails at load with the path", async () => {
    const broken = join(scratch, "broken.onnx");
    writeFileSync(broken, "not a model");
    await expect(new MiniLMEmbedder({ modelPath: broken, cacheDir }).load()).rejects.toThrow(`${broken}: ONNX Runtime cannot load it: `);
  });

  test("a model with another signature is refused at load, saying what differs", async () => {
    const other = writeMiniLMStandin(join(scratch, "wide.onnx"), { dimensions: 128 });
    await expect(new MiniLMEmbedder({ modelPath: other, cacheDir }).load()).rejects.toThrow(
      `${other} is not an all-MiniLM-L6-v2 model: last_hidden_state has 128 dimensions, not 384`,
    );
  });

  test("concurrent first calls share one load", async () => {
    const shared = new MiniLMEmbedder({ modelPath, cacheDir });
    const [first, second] = await Promise.all([shared.load(), shared.load()]);
    expect(second).toBe(first);
    await shared.close();
  });
});

describe("finding the model", () => {
  test("a configured path is the only candidate, even when a downloaded or embedded one exists", () => {
    const dirs = prepareModelDirs("configured");
    writeMiniLMStandin(join(dirs.cacheDir, "models", MINILM_FILE_NAME));
    writeMiniLMStandin(join(dirs.embeddedModelsDir, MINILM_FILE_NAME));
    const configured = join(dirs.root, "mine.onnx");
    expect(locateMiniLMModel({ ...dirs, modelPath: configured })).toEqual({ found: false, searched: [configured] });
  });

  test("without one: the downloaded file, then the one built in", () => {
    const dirs = prepareModelDirs("order");
    const downloaded = join(dirs.cacheDir, "models", MINILM_FILE_NAME);
    const embedded = join(dirs.embeddedModelsDir, MINILM_FILE_NAME);
    expect(locateMiniLMModel(dirs)).toEqual({ found: false, searched: [downloaded, embedded] });
    copyFileSync(modelPath, embedded);
    expect(locateMiniLMModel(dirs)).toEqual({ found: true, path: embedded, origin: "embedded" });
    writeMiniLMStandin(downloaded);
    expect(locateMiniLMModel(dirs)).toEqual({ found: true, path: downloaded, origin: "downloaded" });
  });
});

function prepareModelDirs(name: string) {
  const root = join(scratch, name);
  const dirs = { root, cacheDir: join(root, "cache"), embeddedModelsDir: join(root, "embedded") };
  mkdirSync(dirs.embeddedModelsDir, { recursive: true });
  return dirs;
}
