/**
 * onnxruntime-node's native files as the compiled binary carries them: its N-API binding and
 * the library the binding links. Imported only inside the binary: from source, Bun's runtime
 * refuses to import a `.node` file even as a file asset, and the package loads itself there.
 */

import libraryPath from "onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1" with { type: "file" };
import bindingPath from "onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node" with { type: "file" };
import type { NativeAddon } from "../native/load-native-addon";

/** `name` is what build.ts's NATIVE_LOADER_REDIRECTS entry for onnxruntime-node asks for. */
export const ONNXRUNTIME_ADDON: NativeAddon = {
  name: "onnxruntime",
  entry: "onnxruntime_binding.node",
  files: [
    { name: "onnxruntime_binding.node", path: bindingPath },
    // The binding finds it by soname through its $ORIGIN run path, so the name must stay.
    { name: "libonnxruntime.so.1", path: libraryPath },
  ],
};
