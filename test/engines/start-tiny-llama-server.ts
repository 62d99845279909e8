/**
 * Starts a real llama-server on one of the generated tiny models, named by `--alias` so that
 * `/v1/models` and every answer carry a readable model id (`tiny-chatty`, `tiny-tool-caller`)
 * instead of the temporary file's path, and with `/metrics` on so a test can read how many
 * prompt tokens the engine itself evaluated.
 */
import { join } from "node:path";
import { type TinyModelVariant, writeGguf } from "../support/generate-gguf";
import { type RunningLlamaServer, startLlamaServer } from "../support/llama-server";

export interface TinyLlamaServer extends RunningLlamaServer {
  /** The `--alias`, which is the id llama-server lists and answers with. */
  model: string;
}

export interface StartTinyLlamaServerOptions {
  /** Folder for the model file; the caller removes it. */
  dir: string;
  variant: TinyModelVariant;
  /** `-c`; default 32768, room for Claude Code's first request (about 16,600 tokens with the tiny vocabulary). */
  ctx?: number;
  threads?: number;
}

/**
 * @example
 * const server = await startTinyLlamaServer({ dir, variant: "tool-caller" });
 * await fetch(`${server.url}/v1/models`); // data[0].id === "tiny-tool-caller"
 */
export async function startTinyLlamaServer(options: StartTinyLlamaServerOptions): Promise<TinyLlamaServer> {
  const model = `tiny-${options.variant}`;
  const modelPath = join(options.dir, `${model}.gguf`);
  await writeGguf(modelPath, options.variant);
  const server = await startLlamaServer({
    modelPath,
    ctx: options.ctx ?? 32768,
    threads: options.threads,
    extraArgs: ["--alias", model, "--metrics"],
  });
  return { ...server, model };
}

/** How a missing binary is reported, the same words in every real-engine test file. */
export const LLAMA_SERVER_MISSING = "[engines] llama-server is not built: skipping the real-engine tests (build it with `bun run engines`)";
