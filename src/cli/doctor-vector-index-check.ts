/**
 * Doctor's check of the semantic cache's vector index: that hnswlib-node's native addon loads
 * (in the binary: the embedded copy, unpacked into the cache directory) and answers a search.
 */
import { join } from "node:path";
import { HnswVectorIndex } from "../cache/hnsw-vector-index";
import { loadHnswlibAddon } from "../cache/load-hnswlib-addon";
import type { DoctorCheck, DoctorRow } from "./doctor-check";

export const VECTOR_INDEX_CHECK: DoctorCheck = {
  name: "hnswlib addon",
  async run({ paths }): Promise<DoctorRow[]> {
    const check = "hnswlib addon";
    try {
      const { addon, embedded, source } = await loadHnswlibAddon(paths.cacheDir);
      // In memory only: the path is never written.
      const index = HnswVectorIndex.create(addon, { path: join(paths.cacheDir, "doctor-probe.hnsw"), dimensions: 3 });
      index.add(1, Float32Array.of(1, 0, 0));
      index.add(2, Float32Array.of(0, 1, 0));
      const [match] = index.search(Float32Array.of(0, 2, 0), 1);
      if (match?.id !== 2 || Math.abs(match.similarity - 1) > 1e-5)
        throw new Error(`a probe search answered ${JSON.stringify(match)}, not id 2 with similarity 1`);
      const where = embedded ? `embedded, unpacked under ${paths.cacheDir}` : `from ${source}`;
      return [{ check, status: "ok", detail: `loads and searches (${where})` }];
    } catch (error) {
      return [
        {
          check,
          status: "fail",
          detail: (error as Error).message,
          fix: "the cache dir must allow executing files (not mounted noexec); from source, run `npm install` (it builds the addon)",
        },
      ];
    }
  },
};
