/** hnswlib-node's compiled addon imported `with { type: "file" }`: its path (inside the binary, a /$bunfs path). */
declare module "hnswlib-node/build/Release/addon.node" {
  const path: string;
  export default path;
}
