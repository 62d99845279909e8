import { describe, expect, test } from "bun:test";
import { generateGguf } from "../../support/generate-gguf";
import { readGguf, readGgufTensorF32 } from "../../support/gguf-reader";
import { PLAIN_CHATML_TEMPLATE, TINY_MODEL_CHAT_TEMPLATE } from "../../support/tiny-model-chat-template";
import { byteTokenText, TokenType } from "../../support/tiny-model-vocabulary";
import { TEXT_TOOL_CALL_JSON } from "../../support/tiny-model-weights";

const chatty = generateGguf("chatty");
const file = readGguf(chatty);
const tokens = file.metadata.get("tokenizer.ggml.tokens") as string[];
const types = file.metadata.get("tokenizer.ggml.token_type") as number[];

describe("generateGguf", () => {
  test("is deterministic: the same variant and seed give the same bytes", () => {
    expect(Bun.hash(generateGguf("chatty"))).toBe(Bun.hash(chatty));
    expect(Bun.hash(generateGguf("tool-caller"))).toBe(Bun.hash(generateGguf("tool-caller")));
  });

  test("the seed changes the random weights, the variant changes the steering", () => {
    expect(Bun.hash(generateGguf("chatty", { seed: 2 }))).not.toBe(Bun.hash(chatty));
    const toolCaller = generateGguf("tool-caller");
    expect(toolCaller.length).toBe(chatty.length);
    expect(Bun.hash(toolCaller)).not.toBe(Bun.hash(chatty));
    const toolFile = readGguf(toolCaller);
    // Only the output head differs between the variants.
    for (const info of file.tensors) {
      const same = Bun.hash(readGgufTensorF32(chatty, file, info.name)) === Bun.hash(readGgufTensorF32(toolCaller, toolFile, info.name));
      expect({ name: info.name, same }).toEqual({ name: info.name, same: info.name !== "output.weight" });
    }
  });

  test("the text-tool-caller adds its call as one last user-defined token and has a template without tools", () => {
    const textFile = readGguf(generateGguf("text-tool-caller"));
    const textTokens = textFile.metadata.get("tokenizer.ggml.tokens") as string[];
    expect(textTokens.slice(0, tokens.length)).toEqual(tokens);
    expect(textTokens.slice(tokens.length)).toEqual([TEXT_TOOL_CALL_JSON]);
    expect((textFile.metadata.get("tokenizer.ggml.token_type") as number[]).at(-1)).toBe(TokenType.userDefined);
    expect(textFile.metadata.get("tokenizer.chat_template")).toBe(PLAIN_CHATML_TEMPLATE);
  });

  test("describes a llama model with the context Claude Code's prompt needs", () => {
    const m = file.metadata;
    expect(m.get("general.architecture")).toBe("llama");
    expect(m.get("general.alignment")).toBe(32);
    expect(m.get("llama.context_length")).toBe(131072);
    expect(readGguf(generateGguf("chatty", { contextLength: 4096 })).metadata.get("llama.context_length")).toBe(4096);
    expect(m.get("llama.embedding_length")).toBe(64);
    expect(m.get("llama.rope.dimension_count")).toBe(16);
    expect(m.get("tokenizer.ggml.model")).toBe("llama");
    expect(m.get("tokenizer.ggml.add_space_prefix")).toBe(false);
    expect(m.get("tokenizer.ggml.add_bos_token")).toBe(false);
    expect(m.get("tokenizer.chat_template")).toBe(TINY_MODEL_CHAT_TEMPLATE);
  });

  test("the vocabulary arrays agree in length, and the special tokens have their types", () => {
    expect(file.metadata.get("llama.vocab_size")).toBe(tokens.length);
    expect((file.metadata.get("tokenizer.ggml.scores") as number[]).length).toBe(tokens.length);
    expect(types.length).toBe(tokens.length);
    const typeOf = (t: string) => types[tokens.indexOf(t)];
    expect(typeOf("<unk>")).toBe(TokenType.unknown);
    for (const t of ["<s>", "</s>", "<|im_start|>", "<|im_end|>"]) expect(typeOf(t)).toBe(TokenType.control);
    for (const t of ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"]) expect(typeOf(t)).toBe(TokenType.userDefined);
    expect(file.metadata.get("tokenizer.ggml.eos_token_id")).toBe(tokens.indexOf("<|im_end|>"));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test("has all 256 byte tokens and every prefix of every piece (SentencePiece merges need them)", () => {
    for (let b = 0; b < 256; b++) expect(types[tokens.indexOf(byteTokenText(b))]).toBe(TokenType.byte);
    const vocab = new Set(tokens);
    const normal = tokens.filter((_, id) => types[id] === TokenType.normal);
    const missing = normal.flatMap((t) => {
      const chars = Array.from(t);
      return chars
        .slice(1)
        .map((_, i) => chars.slice(0, i + 1).join(""))
        .filter((p) => !vocab.has(p));
    });
    expect(missing).toEqual([]);
    for (const piece of ["Hello", "\u2581from", "\u2581tiny", "echo", "\u2581hi", "Bash", "\u2581the", '":'])
      expect(vocab.has(piece)).toBe(true);
  });

  test("tensor shapes follow llama's layout (ne0 = input features)", () => {
    const V = tokens.length;
    const shapes = Object.fromEntries(file.tensors.map((t) => [t.name, t.dims]));
    expect(shapes["token_embd.weight"]).toEqual([64, V]);
    expect(shapes["output.weight"]).toEqual([64, V]);
    expect(shapes["output_norm.weight"]).toEqual([64]);
    for (const layer of [0, 1]) {
      expect(shapes[`blk.${layer}.attn_q.weight`]).toEqual([64, 64]);
      expect(shapes[`blk.${layer}.attn_k.weight`]).toEqual([64, 32]);
      expect(shapes[`blk.${layer}.attn_v.weight`]).toEqual([64, 32]);
      expect(shapes[`blk.${layer}.attn_output.weight`]).toEqual([64, 64]);
      expect(shapes[`blk.${layer}.ffn_gate.weight`]).toEqual([64, 128]);
      expect(shapes[`blk.${layer}.ffn_up.weight`]).toEqual([64, 128]);
      expect(shapes[`blk.${layer}.ffn_down.weight`]).toEqual([128, 64]);
    }
    expect(file.tensors.length).toBe(2 + 1 + 2 * 9);
  });

  test("no layer writes to the reserved steering dimensions except the two detector heads", () => {
    for (const layer of [0, 1]) {
      const down = readGgufTensorF32(chatty, file, `blk.${layer}.ffn_down.weight`);
      expect(down.subarray(0, 16 * 128).every((v) => v === 0)).toBe(true);
      const out = readGgufTensorF32(chatty, file, `blk.${layer}.attn_output.weight`);
      const nonZero = [...out.subarray(0, 16 * 64)].flatMap((v, i) => (v === 0 ? [] : [[Math.floor(i / 64), i % 64]]));
      // Layer 0: head 0 value 0 -> dim 1 ("tool result seen"), head 1 value 1 -> dim 2 ("tools offered").
      expect(nonZero).toEqual(
        layer === 0
          ? [
              [1, 0],
              [2, 17],
            ]
          : [],
      );
    }
  });
});
