/**
 * The calibrated token estimate: what the context planner counts with when the engine's own
 * tokenizer is not at hand. Calibrated on Claude Code's recorded requests and on source files read
 * through Claude Code's Read tool, against the Qwen3 tokenizer (bench/context-estimate.ts prints its error), and meant to over-count a
 * little: an over-count trims a few turns early, an under-count overflows the engine.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam, ToolParam } from "../protocol/anthropic/messages";
import type { TokenCounter } from "./token-counter";

/**
 * How the estimate weighs text, in tokens per character of each class; the defaults are the
 * calibration. BPE vocabularies merge runs of letters into words but split digits one by one,
 * and code's punctuation and line breaks (Read's numbered lines) cost more than prose's.
 */
export interface TokenEstimateCalibration {
  letter: number;
  digit: number;
  /** Any other ASCII character but spaces, tabs and line breaks. */
  punctuation: number;
  /** A space or a tab. */
  space: number;
  newline: number;
  /** Each non-ASCII UTF-16 unit (CJK measured 0.5 to 0.65 a character, accents less). */
  nonAscii: number;
  /** Chat-template framing of a message (role markers, separators). */
  perMessage: number;
  /** Framing of a tool call or a tool result inside a message. */
  perToolBlock: number;
  /** Framing of one tool definition. */
  perTool: number;
  /** One image, whatever its size (Anthropic's figure for about 1.15 megapixels). */
  perImage: number;
}

export const DEFAULT_TOKEN_ESTIMATE_CALIBRATION: TokenEstimateCalibration = {
  letter: 0.22,
  digit: 1,
  punctuation: 0.5,
  space: 0.25,
  newline: 0.75,
  nonAscii: 0.75,
  perMessage: 6,
  perToolBlock: 10,
  perTool: 8,
  perImage: 1_600,
};

/**
 * @example
 * const counter = createEstimatingTokenCounter();
 * counter.countMessage({ role: "user", content: "hello world" }); // 9
 */
export function createEstimatingTokenCounter(calibration: TokenEstimateCalibration = DEFAULT_TOKEN_ESTIMATE_CALIBRATION): TokenCounter {
  const weights = weighAsciiCharacters(calibration);
  const weigh = (text: string) => weighText(text, weights, calibration.nonAscii);
  const weighBlock = (block: ContentBlockParam): number => {
    switch (block.type) {
      case "text":
        return weigh(block.text);
      case "thinking":
        return weigh(block.thinking);
      case "redacted_thinking":
        return 0;
      case "image":
        return calibration.perImage;
      case "tool_use":
        return calibration.perToolBlock + weigh(block.name) + weigh(JSON.stringify(block.input ?? {}));
      case "tool_result": {
        if (typeof block.content === "string") return calibration.perToolBlock + weigh(block.content);
        let tokens = calibration.perToolBlock;
        for (const part of block.content ?? []) tokens += part.type === "text" ? weigh(part.text) : weighBlock(part);
        return tokens;
      }
      default:
        return weigh(JSON.stringify(block));
    }
  };
  return {
    countMessage(message: MessageParam): number {
      if (typeof message.content === "string") return calibration.perMessage + weigh(message.content);
      let tokens = calibration.perMessage;
      for (const block of message.content) tokens += weighBlock(block);
      return tokens;
    },
    countSystem(system: MessageCreateParams["system"]): number {
      if (system === undefined) return 0;
      if (typeof system === "string") return calibration.perMessage + weigh(system);
      return calibration.perMessage + system.reduce((tokens, block) => tokens + weigh(block.text), 0);
    },
    countTools(tools: ToolParam[] | undefined): number {
      if (tools === undefined || tools.length === 0) return 0;
      return tools.length * calibration.perTool + weigh(JSON.stringify(tools));
    },
  };
}

/** The weight of each ASCII character, looked up rather than classified per character. */
function weighAsciiCharacters(calibration: TokenEstimateCalibration): Float64Array {
  const weights = new Float64Array(128).fill(calibration.punctuation);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    if (/[A-Za-z]/.test(char)) weights[code] = calibration.letter;
    else if (/[0-9]/.test(char)) weights[code] = calibration.digit;
    else if (char === " " || char === "\t") weights[code] = calibration.space;
    else if (char === "\n" || char === "\r") weights[code] = calibration.newline;
  }
  return weights;
}

function weighText(text: string, weights: Float64Array, nonAscii: number): number {
  let tokens = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    tokens += code < 128 ? weights[code]! : nonAscii;
  }
  return Math.ceil(tokens);
}
