/**
 * Finds the all-MiniLM-L6-v2 ONNX file: a path the user configured, else the one
 * `anyclaude models pull` downloaded into the cache directory, else one built into the binary
 * from the repository's models/ folder. Looked up at load time, not at start, so a model pulled
 * while the server runs is picked up by the next load.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export const MINILM_FILE_NAME = "all-MiniLM-L6-v2.onnx";

/** Where the build embeds the repository's models/ folder (build.ts EMBEDDED_ASSET_DIRS), or that folder itself from source. */
export const EMBEDDED_MODELS_DIR = Bun.main.startsWith("/$bunfs/") ? "/$bunfs/root/models" : join(import.meta.dir, "../../models");

export type MiniLMModelOrigin = "configured" | "downloaded" | "embedded";

export interface MiniLMModelSearch {
  /** Set when `modelPath` was given: only that file counts, never a fallback the user did not ask for. */
  modelPath?: string;
  cacheDir: string;
  embeddedModelsDir?: string;
}

export type MiniLMModelLocation = { found: true; path: string; origin: MiniLMModelOrigin } | { found: false; searched: string[] };

/**
 * @example
 * locateMiniLMModel({ cacheDir: "/home/me/.cache/anyclaude" });
 * // { found: true, path: "/home/me/.cache/anyclaude/models/all-MiniLM-L6-v2.onnx", origin: "downloaded" }
 */
export function locateMiniLMModel(search: MiniLMModelSearch): MiniLMModelLocation {
  const candidates: { path: string; origin: MiniLMModelOrigin }[] =
    search.modelPath !== undefined
      ? [{ path: search.modelPath, origin: "configured" }]
      : [
          { path: downloadedMiniLMPath(search.cacheDir), origin: "downloaded" },
          { path: join(search.embeddedModelsDir ?? EMBEDDED_MODELS_DIR, MINILM_FILE_NAME), origin: "embedded" },
        ];
  const hit = candidates.find((candidate) => existsSync(candidate.path));
  return hit ? { found: true, ...hit } : { found: false, searched: candidates.map((candidate) => candidate.path) };
}

/**
 * Where `anyclaude models pull` puts the file.
 *
 * @example
 * downloadedMiniLMPath("/home/me/.cache/anyclaude"); // "/home/me/.cache/anyclaude/models/all-MiniLM-L6-v2.onnx"
 */
export function downloadedMiniLMPath(cacheDir: string): string {
  return join(cacheDir, "models", MINILM_FILE_NAME);
}

/**
 * The message for a model that is nowhere: what was searched and the two ways to get one.
 *
 * @example
 * throw new Error(describeMissingMiniLM(location.searched));
 */
export function describeMissingMiniLM(searched: readonly string[]): string {
  return `no all-MiniLM-L6-v2 ONNX file at ${searched.join(" or ")}; run \`anyclaude models pull\`, or pass --model-path FILE (config embedding.modelPath)`;
}
