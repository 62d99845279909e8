/**
 * The weights of the generated test models: a random (seeded) two-layer llama whose next-token choice
 * is steered through reserved embedding dimensions, so that what it says is short, deterministic and
 * known in advance.
 */
import type { GgufTensor } from "./gguf-writer";
import { seededRandom } from "./seeded-random";
import { byteTokenText, SPACE, SpecialTokens, type TinyVocabulary, TokenType } from "./tiny-model-vocabulary";

export type TinyModelVariant = "chatty" | "tool-caller" | "text-tool-caller";

/**
 * The text-tool-caller's whole call, one user-defined token: without a tool grammar the model
 * cannot spell JSON character by character (its next token depends only on the current one), so
 * it says the call's JSON in one piece.
 */
export const TEXT_TOOL_CALL_JSON = '{"name": "Bash", "arguments": {"command": "echo hi"}}';

export const TinyModelShape = {
  embedding: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  headDim: 16,
  feedForward: 128,
  /** Large enough that the rotary angle of the detector heads' dimensions stays near zero at any position. */
  ropeFreqBase: 1e8,
} as const;

/*
 * How the steering works. Residual dimensions 0-15 are reserved: no layer writes to them except the
 * two detector heads below, and the output head reads only them. So the final hidden state is, up to
 * one positive RMS-norm factor per position (which scales every logit alike and never changes their
 * order), this exact feature vector:
 *   CONSTANT   8 in every token's embedding: output.weight's column for it is a fixed per-token
 *              preference, strictly ordered (orderGlobally, STEP apart) so no two tokens ever tie;
 *   AFTER_x    1 when the current token is x: "after x prefer y" rules (a bigram table);
 *   SEEN       1 once a `<tool_response>` token occurs anywhere before (layer-0 head 0);
 *   TOOLS      1 once a `<tool_call>` token occurs anywhere before, i.e. the system turn offers
 *              tools (layer-0 head 1).
 * The detector heads attend from every position with a constant query to the one key that carries the
 * marker; a score of about 40 puts all the weight on it even among 131,072 positions, and with no
 * marker the average of the value is exactly 0. The rest of the network is random and small: it is
 * there so that llama.cpp runs a real attention/feed-forward graph, not to influence the output.
 *
 * Gaps are huge (STEP = 30 logits between neighbours, rules M = 4e6) so sampling at any temperature picks
 * the same token every time. Grammar-constrained sampling (tool calls, JSON schemas) masks the
 * disallowed tokens and the preference order does the rest: closers (`"`, `}`, `]`, `</tool_call>`)
 * rank high so every string, object and tool call ends as early as the grammar allows, and whitespace
 * ranks low so the JSON comes out compact.
 *
 * What the models say (the generation prompt always ends in the "\n" of `<|im_start|>assistant\n`):
 * - "Hello from a tiny model." then `<|im_end|>`: a chain of AFTER_x rules starting at that "\n".
 *   The chatty model always says this; the tool-caller says it when no tools are offered, or once a
 *   tool result is in the conversation (so an agent loop ends after one tool call).
 * - tool-caller, tools offered, no tool result yet (TOOLS and not SEEN): `<tool_call>` at once; the
 *   tool-call grammar then makes it
 *   `<tool_call>\n{"name":"Bash","arguments":{"command":"echo hi"}}</tool_call>` then `<|im_end|>`
 *   (AFTER_QUOTE prefers "echo", then "Bash"; AFTER_ECHO prefers " hi"). Without a Bash tool it calls
 *   the best-ranked name the grammar allows, with "echo hi" as its first string argument.
 * - Under a grammar that forbids stopping after the text (tool_choice required), the text is followed
 *   by a tool call instead of `<|im_end|>`.
 * - JSON schemas in general: every free string is "echo hi", integers and numbers 1, booleans false,
 *   free arrays and objects get one element; optional properties are left out.
 * - text-tool-caller (its template has no tool syntax, so no grammar applies; the tools are described
 *   in the prompt, which holds a `<tool_call>` token): `<tool_call>`, then TEXT_TOOL_CALL_JSON as
 *   one token, then `</tool_call>` and `<|im_end|>`: a call written as text, as llama-server leaves
 *   it in `content`. Once a tool result is in the conversation it says "Hello from a tiny model."
 */

const C = {
  CONSTANT: 0,
  SEEN: 1,
  TOOLS: 2,
  IS_TOOL_RESPONSE: 3,
  AFTER_NEWLINE: 4,
  AFTER_TOOL_CALL_OPEN: 5,
  AFTER_QUOTE: 6,
  AFTER_ECHO: 7,
  AFTER_HELLO: 8,
  AFTER_FROM: 9,
  AFTER_A: 10,
  AFTER_TINY: 11,
  AFTER_MODEL: 12,
  AFTER_PERIOD: 13,
  AFTER_TEXT_CALL: 14,
} as const;
const RESERVED = 16;
const CONSTANT_VALUE = 8;
const STEP = 30;
const M = 4_000_000;
const RANDOM_SCALE = 0.02;

/** Key/query dimensions inside a head whose rotary frequency is ~1e-6 or less (pairs 6 and 7). */
const DETECTOR = [
  { head: 0, keyDim: 14, marker: C.IS_TOOL_RESPONSE, valueDim: 0, writes: C.SEEN },
  { head: 1, keyDim: 12, marker: C.AFTER_TOOL_CALL_OPEN, valueDim: 1, writes: C.TOOLS },
] as const;
/** q and k gains: score = 4.5 * 8 * 4.5 * 1 / sqrt(16) ≈ 40. */
const DETECTOR_GAIN = 4.5;

/** A deterministic normal draw: Box-Muller on top of the seeded uniform generator. */
function createRandom(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Every token id, most preferred first. Closers lead, then `,` (so a number stops after one digit when
 * more properties must follow), then openers, digits and letters; anything that starts with
 * whitespace comes late, so optional whitespace in a grammar is never taken and JSON stays compact.
 */
function orderGlobally(vocab: TinyVocabulary): number[] {
  const ascii = (from: string, to: string) =>
    Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => String.fromCharCode(from.charCodeAt(0) + i));
  const first = [
    SpecialTokens.imEnd,
    '"',
    "}",
    "]",
    SpecialTokens.toolCallClose,
    ",",
    "{",
    "[",
    ...ascii("1", "9"),
    "0",
    ...ascii("a", "z"),
    ...ascii("A", "Z"),
  ];
  const last = [
    SpecialTokens.toolCallOpen,
    SpecialTokens.toolResponseOpen,
    SpecialTokens.toolResponseClose,
    SpecialTokens.imStart,
    SpecialTokens.bos,
    SpecialTokens.eos,
    SpecialTokens.unknown,
  ];
  const firstIds = first.map((t) => vocab.idOf(t));
  const lastIds = last.map((t) => vocab.idOf(t));
  const placed = new Set([...firstIds, ...lastIds]);
  const whitespaceBytes = new Set([0x0a, 0x09, 0x0d, 0x20].map((b) => vocab.idOf(byteTokenText(b))));
  const group = (id: number) => {
    const text = vocab.tokens[id]!;
    if (whitespaceBytes.has(id) || text.startsWith(SPACE)) return 3;
    if (vocab.types[id] === TokenType.byte) return 2;
    return Array.from(text).length > 1 ? 1 : 0;
  };
  // Between them, in id order: other characters, other pieces, byte fallback, whitespace-led tokens.
  const rest = vocab.tokens.map((_, id) => id).filter((id) => !placed.has(id));
  rest.sort((x, y) => group(x) - group(y) || x - y);
  return [...firstIds, ...rest, ...lastIds];
}

export function buildTinyModelTensors(vocab: TinyVocabulary, variant: TinyModelVariant, seed: number): GgufTensor[] {
  const { embedding: E, headDim, feedForward: F, layers } = TinyModelShape;
  const V = vocab.tokens.length;
  const kvDim = TinyModelShape.kvHeads * headDim;
  const normal = createRandom(seed);
  const random = (n: number, scale: number) => Float32Array.from({ length: n }, () => normal() * scale);
  const id = (piece: string) => vocab.idOf(piece);

  // Embeddings: random in the free dimensions, designed in the reserved ones.
  const embd = new Float32Array(V * E);
  for (let t = 0; t < V; t++) {
    for (let d = RESERVED; d < E; d++) embd[t * E + d] = normal() * 0.1;
    embd[t * E + C.CONSTANT] = CONSTANT_VALUE;
  }
  const flag = (piece: string, dim: number) => {
    embd[id(piece) * E + dim] = 1;
  };
  flag(SpecialTokens.toolResponseOpen, C.IS_TOOL_RESPONSE);
  flag(byteTokenText(0x0a), C.AFTER_NEWLINE);
  flag(SpecialTokens.toolCallOpen, C.AFTER_TOOL_CALL_OPEN);
  flag('"', C.AFTER_QUOTE);
  flag("echo", C.AFTER_ECHO);
  flag("Hello", C.AFTER_HELLO);
  flag(`${SPACE}from`, C.AFTER_FROM);
  flag(`${SPACE}a`, C.AFTER_A);
  flag(`${SPACE}tiny`, C.AFTER_TINY);
  flag(`${SPACE}model`, C.AFTER_MODEL);
  flag(".", C.AFTER_PERIOD);
  if (variant === "text-tool-caller") flag(TEXT_TOOL_CALL_JSON, C.AFTER_TEXT_CALL);
  const rmsOf = (t: number) => Math.sqrt(embd.subarray(t * E, t * E + E).reduce((s, v) => s + v * v, 0) / E);

  // Output head: logit(t) = sum over reserved dims of output[t][d] * feature[d].
  // Rules shift a logit by M/2 or more; the whole global order must fit well inside that.
  if (STEP * V > M / 8) throw new Error(`vocabulary of ${V} tokens is too large for the steering margins`);
  const output = new Float32Array(V * E);
  const bias = new Float64Array(V);
  orderGlobally(vocab).forEach((t, rank) => {
    bias[t] = -STEP * rank;
  });
  const prefer = (piece: string, dim: number, strength: number) => {
    output[id(piece) * E + dim]! += strength;
  };
  const offset = (piece: string, amount: number) => {
    bias[id(piece)]! += amount;
  };

  // "Hello" starts the answer after the "\n" of "<|im_start|>assistant\n" (0.5M), and more strongly
  // once a tool result is in the conversation (1.5M); anywhere else it sits at -0.5M or lower.
  prefer("Hello", C.AFTER_NEWLINE, 2 * M);
  prefer("Hello", C.SEEN, M);
  offset("Hello", -1.5 * M);
  prefer(`${SPACE}from`, C.AFTER_HELLO, M);
  prefer(`${SPACE}a`, C.AFTER_FROM, M);
  prefer(`${SPACE}tiny`, C.AFTER_A, M);
  prefer(`${SPACE}model`, C.AFTER_TINY, M);
  prefer(".", C.AFTER_MODEL, M);
  prefer(SpecialTokens.imEnd, C.AFTER_PERIOD, M);
  prefer(byteTokenText(0x0a), C.AFTER_TOOL_CALL_OPEN, M);
  prefer("echo", C.AFTER_QUOTE, M);
  prefer("Bash", C.AFTER_QUOTE, 0.9 * M);
  prefer(`${SPACE}hi`, C.AFTER_ECHO, M);
  if (variant === "text-tool-caller") {
    // Outranks "\n" after `<tool_call>` (M); then the closing tag, then `<|im_end|>` by the global order.
    prefer(TEXT_TOOL_CALL_JSON, C.AFTER_TOOL_CALL_OPEN, 2 * M);
    prefer(SpecialTokens.toolCallClose, C.AFTER_TEXT_CALL, M);
  }
  if (variant !== "chatty") {
    // After "\n" with tools offered: 2M + 2M - 3M = 1M, above "Hello" (0.5M) unless a tool result
    // was seen (1.5M). Without "\n" or without tools it stays at -1M or lower.
    prefer(SpecialTokens.toolCallOpen, C.AFTER_NEWLINE, 2 * M);
    prefer(SpecialTokens.toolCallOpen, C.TOOLS, 2 * M);
    offset(SpecialTokens.toolCallOpen, -3 * M);
  }
  // After ".", `<tool_call>` is second to `<|im_end|>` (0.5M vs 1M with tools offered), so a grammar that
  // forbids stopping gets a tool call rather than stray text.
  prefer(SpecialTokens.toolCallOpen, C.AFTER_PERIOD, variant === "chatty" ? 0.5 * M : 1.5 * M);
  for (let t = 0; t < V; t++) output[t * E + C.CONSTANT] = bias[t]! / CONSTANT_VALUE;

  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", dims: [E, V], data: embd },
    ...Array.from({ length: layers }, (_, layer) => {
      // Matrices are [in, out] in ggml order: row o holds the weights of output o.
      const q = random(E * E, RANDOM_SCALE);
      const k = random(kvDim * E, RANDOM_SCALE);
      const v = random(kvDim * E, RANDOM_SCALE);
      const o = random(E * E, RANDOM_SCALE);
      const down = random(E * F, RANDOM_SCALE);
      o.fill(0, 0, RESERVED * E);
      down.fill(0, 0, RESERVED * F);
      if (layer === 0) {
        for (const det of DETECTOR) {
          const qRow = det.head * headDim;
          q.fill(0, qRow * E, (qRow + headDim) * E);
          q[(qRow + det.keyDim) * E + C.CONSTANT] = DETECTOR_GAIN;
          // Clear the whole rotary pair, so the key is the marker alone at any position.
          k.fill(0, det.keyDim * E, (det.keyDim + 2) * E);
          k[det.keyDim * E + det.marker] = DETECTOR_GAIN;
          // The value undoes the marker token's own RMS norm, so the detected feature is exactly 1.
          const markerToken = det.marker === C.IS_TOOL_RESPONSE ? SpecialTokens.toolResponseOpen : SpecialTokens.toolCallOpen;
          v.fill(0, det.valueDim * E, (det.valueDim + 1) * E);
          v[det.valueDim * E + det.marker] = rmsOf(id(markerToken));
          o[det.writes * E + det.head * headDim + det.valueDim] = 1;
        }
      }
      const ones = (n: number) => new Float32Array(n).fill(1);
      return [
        { name: `blk.${layer}.attn_norm.weight`, dims: [E], data: ones(E) },
        { name: `blk.${layer}.attn_q.weight`, dims: [E, E], data: q },
        { name: `blk.${layer}.attn_k.weight`, dims: [E, kvDim], data: k },
        { name: `blk.${layer}.attn_v.weight`, dims: [E, kvDim], data: v },
        { name: `blk.${layer}.attn_output.weight`, dims: [E, E], data: o },
        { name: `blk.${layer}.ffn_norm.weight`, dims: [E], data: ones(E) },
        { name: `blk.${layer}.ffn_gate.weight`, dims: [E, F], data: random(E * F, RANDOM_SCALE) },
        { name: `blk.${layer}.ffn_up.weight`, dims: [E, F], data: random(E * F, RANDOM_SCALE) },
        { name: `blk.${layer}.ffn_down.weight`, dims: [F, E], data: down },
      ] satisfies GgufTensor[];
    }).flat(),
    { name: "output_norm.weight", dims: [E], data: new Float32Array(E).fill(1) },
    { name: "output.weight", dims: [E, V], data: output },
  ];
  return tensors;
}
