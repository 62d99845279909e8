/**
 * `anyclaude models pull [--url URL] [--sha256 HEX]`: downloads the all-MiniLM-L6-v2 ONNX file
 * the semantic cache embeds with into the cache directory, where the embedder finds it, with a
 * progress bar on a terminal and the integrity check of downloadModelFile.
 */

import { ConfigError } from "../config/config-error";
import { resolveDataPaths } from "../config/data-paths";
import { loadConfig } from "../config/load-config";
import { type DownloadedModelRecord, downloadModelFile } from "../embed/download-model-file";
import { downloadedMiniLMPath } from "../embed/locate-minilm-model";
import { createProgressReporter } from "../log/progress-reporter";
import { formatModelsHelp } from "./cli-help";
import { type CliIo, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, reportUsageError } from "./cli-io";
import { CONFIG_OPTIONS, pickConfigFlags, readCommandOptions } from "./read-command-options";

/**
 * sentence-transformers' own ONNX export of all-MiniLM-L6-v2 (Apache-2.0). Its host states the
 * file's SHA-256 in `x-linked-etag`, which the download is checked against.
 */
export const DEFAULT_MINILM_URL = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx";

const PULL_OPTIONS = { ...CONFIG_OPTIONS, url: { type: "string" }, sha256: { type: "string" } } as const;

/**
 * @example
 * process.exitCode = await runModelsFromArgs(["pull"], io);
 */
export async function runModelsFromArgs(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") {
    io.stdout(formatModelsHelp());
    return EXIT_OK;
  }
  if (action === undefined) return reportUsageError("models: missing action (pull)", "anyclaude models --help", io);
  if (action !== "pull") return reportUsageError(`models: unknown action '${action}'`, "anyclaude models --help", io);
  const values = readCommandOptions("models pull", rest, PULL_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatModelsHelp());
    return EXIT_OK;
  }
  let cacheDir: string;
  try {
    const config = loadConfig({ file: values.config as string | undefined, env: io.env, flags: pickConfigFlags(values) });
    cacheDir = resolveDataPaths(config.paths, io.env).cacheDir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`anyclaude: ${error.message}\n`);
    return EXIT_CONFIG;
  }

  const url = (values.url as string | undefined) ?? DEFAULT_MINILM_URL;
  const target = downloadedMiniLMPath(cacheDir);
  io.stderr(`downloading ${url}\n       into ${target}\n`);
  const drawProgress = createProgressReporter("all-MiniLM-L6-v2.onnx (MB)", {
    stream: { isTTY: io.stderrIsTerminal, write: io.stderr },
  });
  let record: DownloadedModelRecord;
  try {
    record = await downloadModelFile({
      url,
      target,
      sha256: values.sha256 as string | undefined,
      onProgress: (received, total) =>
        drawProgress({ done: toMegabytes(received), total: total === undefined ? undefined : toMegabytes(total) }),
    });
  } catch (error) {
    io.stderr(`\nanyclaude: models pull failed: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  drawProgress({ done: toMegabytes(record.bytes), total: toMegabytes(record.bytes), finished: true });
  const verified =
    record.verifiedAgainst.length > 0
      ? `verified against ${record.verifiedAgainst.join(" and ")}`
      : "NOT verified: the host stated no SHA-256 and none was given with --sha256; compare it with the publisher's";
  io.stdout(`saved ${target} (${(record.bytes / 1e6).toFixed(1)} MB)\nsha256 ${record.sha256}, ${verified}\n`);
  return EXIT_OK;
}

function toMegabytes(bytes: number): number {
  return Math.round(bytes / 1e5) / 10;
}
