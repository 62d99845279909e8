/** The embedder's assets: the vocabulary imported `with { type: "text" }`, onnxruntime-node's native files `with { type: "file" }` (paths; inside the binary, /$bunfs paths). */
declare module "*.txt" {
  const text: string;
  export default text;
}
declare module "onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node" {
  const path: string;
  export default path;
}
declare module "onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1" {
  const path: string;
  export default path;
}
