/**
 * Generates tiny, deterministic llama-architecture GGUF models for the real-engine tests: no model hub
 * is reachable, and a real llama-server needs a real model file.
 */
import { encodeGguf, type GgufValue } from "./gguf-writer";
import { PLAIN_CHATML_TEMPLATE, TINY_MODEL_CHAT_TEMPLATE } from "./tiny-model-chat-template";
import { buildTinyVocabulary, SpecialTokens } from "./tiny-model-vocabulary";
import { buildTinyModelTensors, TEXT_TOOL_CALL_JSON, TinyModelShape, type TinyModelVariant } from "./tiny-model-weights";

export type { TinyModelVariant } from "./tiny-model-weights";

export interface GenerateGgufOptions {
  /** Seeds the random part of the weights; the steered behaviour does not depend on it. Default 1. */
  seed?: number;
  /** Written to `llama.context_length`, the most llama-server lets a slot hold. Default 131072. */
  contextLength?: number;
}

/** What each variant answers; the engine tests and the Claude Code end-to-end test check against these. */
export const TinyModelOutput = {
  text: "Hello from a tiny model.",
  toolCall: '<tool_call>\n{"name":"Bash","arguments":{"command":"echo hi"}}</tool_call>',
  /** What the text-tool-caller writes, as text, when tools are described in its prompt. */
  textToolCall: `<tool_call>${TEXT_TOOL_CALL_JSON}</tool_call>`,
  bashCommand: "echo hi",
  /** First string argument of any tool call, whatever the tool. */
  stringArgument: "echo hi",
} as const;

/**
 * @example
 * const bytes = generateGguf("tool-caller");
 * await Bun.write("/tmp/tool-caller.gguf", bytes);
 */
export function generateGguf(variant: TinyModelVariant, options: GenerateGgufOptions = {}): Uint8Array {
  const textCalls = variant === "text-tool-caller";
  const vocab = buildTinyVocabulary({ extraUserDefined: textCalls ? [TEXT_TOOL_CALL_JSON] : [] });
  const s = TinyModelShape;
  const u32 = (value: number): GgufValue => ({ type: "u32", value });
  const f32 = (value: number): GgufValue => ({ type: "f32", value });
  const str = (value: string): GgufValue => ({ type: "string", value });
  const bool = (value: boolean): GgufValue => ({ type: "bool", value });
  const metadata: Array<[string, GgufValue]> = [
    ["general.architecture", str("llama")],
    ["general.name", str(`anyclaude-tiny-${variant}`)],
    ["general.alignment", u32(32)],
    ["general.file_type", u32(0)], // all F32
    ["llama.context_length", u32(options.contextLength ?? 131072)],
    ["llama.embedding_length", u32(s.embedding)],
    ["llama.block_count", u32(s.layers)],
    ["llama.feed_forward_length", u32(s.feedForward)],
    ["llama.attention.head_count", u32(s.heads)],
    ["llama.attention.head_count_kv", u32(s.kvHeads)],
    ["llama.rope.dimension_count", u32(s.headDim)],
    ["llama.rope.freq_base", f32(s.ropeFreqBase)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.vocab_size", u32(vocab.tokens.length)],
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocab.types }],
    ["tokenizer.ggml.bos_token_id", u32(vocab.idOf(SpecialTokens.bos))],
    // <|im_end|> ends a turn in ChatML, so it is the end-of-generation token.
    ["tokenizer.ggml.eos_token_id", u32(vocab.idOf(SpecialTokens.imEnd))],
    ["tokenizer.ggml.unknown_token_id", u32(vocab.idOf(SpecialTokens.unknown))],
    ["tokenizer.ggml.padding_token_id", u32(vocab.idOf(SpecialTokens.eos))],
    ["tokenizer.ggml.add_bos_token", bool(false)],
    ["tokenizer.ggml.add_eos_token", bool(false)],
    // Without this llama.cpp prepends a space to every text fragment, and its grammar sampler then
    // fails to initialise ("Failed to initialize samplers") for any tool or JSON-schema request.
    ["tokenizer.ggml.add_space_prefix", bool(false)],
    // The text-tool-caller's template has no tool syntax: llama-server then reports no tool calling.
    ["tokenizer.chat_template", str(textCalls ? PLAIN_CHATML_TEMPLATE : TINY_MODEL_CHAT_TEMPLATE)],
  ];
  return encodeGguf({ metadata, tensors: buildTinyModelTensors(vocab, variant, options.seed ?? 1), alignment: 32 });
}

/**
 * @example
 * await writeGguf(join(tmp, "chatty.gguf"), "chatty");
 */
export async function writeGguf(path: string, variant: TinyModelVariant, options?: GenerateGgufOptions): Promise<void> {
  await Bun.write(path, generateGguf(variant, options));
}
