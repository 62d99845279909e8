/**
 * Loads onnxruntime-node once per process, telemetry off. From source the package loads as
 * usual. In the compiled binary its native binding and libonnxruntime.so.1 are embedded files:
 * they are unpacked side by side into the cache directory and loaded from there (build.ts
 * redirects the package's own require of the binding to that copy), never from $TMPDIR.
 */
import { loadNativeAddon } from "../native/load-native-addon";
import { setNativeEnvironmentVariable } from "./set-native-environment-variable";

export type OnnxRuntime = typeof import("onnxruntime-node");

const IN_COMPILED_BINARY = Bun.main.startsWith("/$bunfs/");

let loading: Promise<OnnxRuntime> | undefined;

/**
 * @example
 * const ort = await loadOnnxRuntime(paths.cacheDir);
 * const session = await ort.InferenceSession.create(modelBytes);
 */
export function loadOnnxRuntime(cacheDir: string): Promise<OnnxRuntime> {
  loading ??= importOnnxRuntime(cacheDir).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function importOnnxRuntime(cacheDir: string): Promise<OnnxRuntime> {
  // Otherwise ONNX Runtime writes a device id and a telemetry database under
  // ~/.cache/Microsoft; it reads the variable from the real environment when it starts.
  setNativeEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
  if (IN_COMPILED_BINARY) {
    const { ONNXRUNTIME_ADDON } = await import("./onnxruntime-addon");
    loadNativeAddon(ONNXRUNTIME_ADDON, cacheDir);
  }
  return await import("onnxruntime-node");
}
