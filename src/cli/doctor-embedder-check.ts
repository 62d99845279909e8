/**
 * Doctor's check of the semantic cache's embedder: that ONNX Runtime loads (in the binary, from
 * the files it carries, unpacked into the cache directory), and that the configured model loads
 * and embeds, or which model file is missing and how to get it. A missing model is a warning
 * when none was configured: the exact cache works without one.
 */
import { ConfigError } from "../config/config-error";
import { resolveEmbeddingSettings } from "../config/resolve-embedding-settings";
import { createEmbedder } from "../embed/create-embedder";
import { loadOnnxRuntime } from "../embed/load-onnxruntime";
import { describeMissingMiniLM, locateMiniLMModel } from "../embed/locate-minilm-model";
import type { DoctorCheck, DoctorContext, DoctorRow } from "./doctor-check";

const PROBE_TEXT = "how do i sort a list in python?";

export const EMBEDDER_CHECK: DoctorCheck = {
  name: "embedder",
  async run(context) {
    let settings: ReturnType<typeof resolveEmbeddingSettings>;
    try {
      settings = resolveEmbeddingSettings(context.config, context.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [
        {
          check: "embedder",
          status: "fail",
          detail: error.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "),
          fix: "complete the embedding section",
        },
      ];
    }
    if (settings.source === "backend")
      return [await checkEmbedding(context, settings, `${settings.backendApi} embeddings at ${settings.backendUrl}`)];
    const rows = [await checkOnnxRuntime(context)];
    const location = locateMiniLMModel({ modelPath: settings.modelPath, cacheDir: context.paths.cacheDir });
    if (!location.found) {
      rows.push({
        check: "embedder",
        status: settings.modelPath === undefined ? "warn" : "fail",
        detail: describeMissingMiniLM(location.searched),
        fix: "get it with `anyclaude models pull` (about 90 MB); until then only the exact cache works",
      });
      return rows;
    }
    if (rows[0]!.status === "fail") return rows;
    rows.push(await checkEmbedding(context, settings, `all-MiniLM-L6-v2 (${location.origin}) ${location.path}`));
    return rows;
  },
};

async function checkOnnxRuntime(context: DoctorContext): Promise<DoctorRow> {
  try {
    const ort = await loadOnnxRuntime(context.paths.cacheDir);
    const where = Bun.main.startsWith("/$bunfs/") ? `embedded, unpacked under ${context.paths.cacheDir}` : "from node_modules";
    return { check: "onnxruntime", status: "ok", detail: `onnxruntime-node ${ort.env.versions.node ?? "?"} loaded (${where})` };
  } catch (error) {
    return {
      check: "onnxruntime",
      status: "fail",
      detail: (error as Error).message,
      fix: "the cache dir must allow executing files (not mounted noexec); otherwise rebuild the binary",
    };
  }
}

async function checkEmbedding(
  context: DoctorContext,
  settings: ReturnType<typeof resolveEmbeddingSettings>,
  what: string,
): Promise<DoctorRow> {
  const embedder = createEmbedder(settings, context.paths.cacheDir);
  try {
    const report = await embedder.load();
    const [vector] = await embedder.embed([PROBE_TEXT]);
    const length = Math.hypot(...vector!);
    if (Math.abs(length - 1) > 1e-3) throw new Error(`the probe vector has length ${length.toFixed(3)}, not 1`);
    return { check: "embedder", status: "ok", detail: `${what}: ${vector!.length} dims, loaded in ${Math.round(report.loadMs)} ms` };
  } catch (error) {
    const fix =
      settings.source === "backend"
        ? "start the server with an embedding model (llama-server --embeddings, `ollama pull <model>`), or set embedding.source: minilm"
        : "the file may be damaged or not all-MiniLM-L6-v2: run `anyclaude models pull` again, or point --model-path at the right file";
    return { check: "embedder", status: "fail", detail: `${what}: ${(error as Error).message}`, fix };
  }
}
