/**
 * Pieces of text counted by the engine's own tokenizer, for the context step's per-message
 * counts: llama-server `POST /tokenize` ({content} → {tokens}) and vLLM `POST /tokenize`
 * ({model, prompt} → {count}). Other engines have none; the context step then estimates.
 */
import type { BackendKind } from "../config/config-choices";
import { BackendProtocolError } from "../errors/proxy-error";
import type { BackendSettings } from "./backend-settings";
import { requestBackendJson } from "./request-backend-json";

/** The engines with a tokenizer endpoint; for the others, counting is not even attempted. */
const KINDS_WITH_TOKENIZER: ReadonlySet<BackendKind> = new Set(["llamacpp", "vllm"]);

/**
 * @example
 * hasTokenizer("ollama"); // false
 */
export function hasTokenizer(kind: BackendKind): boolean {
  return KINDS_WITH_TOKENIZER.has(kind);
}

/**
 * One count per text, in order, without special tokens (the chat template adds those); undefined
 * when the engine cannot count. A failure is thrown as ProxyError.
 *
 * @example
 * await countTextTokens(settings, ["hello world", "def f(): pass"], "qwen3", signal); // [2, 5]
 */
export async function countTextTokens(
  settings: BackendSettings,
  texts: readonly string[],
  model: string,
  signal: AbortSignal,
): Promise<number[] | undefined> {
  if (!hasTokenizer(settings.kind)) return undefined;
  const post = (body: object) => requestBackendJson(settings, "/tokenize", { body, signal });
  switch (settings.kind) {
    case "llamacpp":
      return countOneByOne(texts, async (content) => {
        const tokens = (await post({ content, add_special: false, parse_special: false })).tokens;
        if (!Array.isArray(tokens)) throw new BackendProtocolError(settings.id, "/tokenize answered without tokens");
        return tokens.length;
      });
    default:
      // vLLM
      return countOneByOne(texts, async (prompt) => {
        const count = (await post({ model, prompt, add_special_tokens: false })).count;
        if (typeof count !== "number") throw new BackendProtocolError(settings.id, "/tokenize answered without a count");
        return count;
      });
  }
}

/**
 * One text after another, over one kept-alive connection (~0.3 ms each). Not in parallel:
 * llama-server serves HTTP from a small thread pool and keeps each idle connection's thread for
 * its keep-alive time (5 s), so eight new connections at once were measured to wait 5 s, and
 * the answer's own request could wait behind them.
 */
async function countOneByOne(texts: readonly string[], count: (text: string) => Promise<number>): Promise<number[]> {
  const counts: number[] = [];
  for (const text of texts) counts.push(await count(text));
  return counts;
}
