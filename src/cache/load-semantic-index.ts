/**
 * Loads what the semantic cache needs before its first lookup: the embedder's model, then the
 * HNSW index for that model's vectors (the saved file, or one rebuilt from SQLite). Entries of
 * another model are dropped first: their vectors cannot be compared with this model's.
 */
import { rmSync } from "node:fs";
import type { Embedder } from "../embed/embedder";
import type { ProgressUpdate } from "../log/format-progress-line";
import type { SemanticEntriesRepository } from "../store/semantic-entries-repository";
import { manifestPathOf } from "./hnsw-index-file";
import { openVectorIndex, type VectorIndexRebuild, type VectorSourceRow } from "./open-vector-index";
import type { VectorIndex } from "./vector-index";

/** An embedder that can load its model ahead of the first `embed` (MiniLM, a backend's endpoint). */
type SemanticEmbedder = Embedder & { load?(): Promise<unknown> };

export interface SemanticIndexSource {
  /** Called once, on first use: building it must not load anything (see createEmbedder). */
  createEmbedder: () => SemanticEmbedder;
  /** `<dataDir>/semantic.hnsw`, beside the database. */
  indexPath: string;
  /** Where the binary unpacks the hnswlib addon. */
  cacheDir: string;
  /** The file was missing, damaged or stale and was rebuilt from SQLite. */
  onIndexRebuilt?: (rebuild: VectorIndexRebuild) => void;
  /** Rebuild progress; by default a bar on stderr when it is a terminal. */
  onProgress?: (update: ProgressUpdate) => void;
}

export interface LoadedSemanticIndex {
  embedder: Embedder;
  /** Known once the model is loaded (MiniLM's id hashes the model file). */
  embedderId: string;
  index: VectorIndex;
}

const REBUILD_PAGE = 500;

/**
 * @example
 * const { embedder, embedderId, index } = await loadSemanticIndex(source, new SemanticEntriesRepository(store.db));
 */
export async function loadSemanticIndex(source: SemanticIndexSource, repository: SemanticEntriesRepository): Promise<LoadedSemanticIndex> {
  const embedder = source.createEmbedder();
  await embedder.load?.();
  const embedderId = embedder.id;
  repository.deleteOtherEmbedders(embedderId);
  const { index, rebuilt } = await openVectorIndex({
    path: source.indexPath,
    dimensions: embedder.dimensions,
    cacheDir: source.cacheDir,
    rebuild: () => readStoredVectors(repository, embedderId),
    countSource: () => repository.count(embedderId),
    onProgress: source.onProgress,
  });
  if (rebuilt) source.onIndexRebuilt?.(rebuilt);
  return { embedder, embedderId, index };
}

/**
 * Deletes the index file and its manifest, after the store's entries were cleared: the next
 * load then starts an empty index instead of reporting a stale one.
 *
 * @example
 * removeSemanticIndexFiles(join(paths.dataDir, SEMANTIC_INDEX_FILE_NAME));
 */
export function removeSemanticIndexFiles(indexPath: string): void {
  rmSync(indexPath, { force: true });
  rmSync(manifestPathOf(indexPath), { force: true });
}

/** The index file's name in the data dir. */
export const SEMANTIC_INDEX_FILE_NAME = "semantic.hnsw";

async function* readStoredVectors(repository: SemanticEntriesRepository, embedderId: string): AsyncIterable<VectorSourceRow> {
  let afterId = 0;
  while (true) {
    const page = repository.listEmbeddings(embedderId, afterId, REBUILD_PAGE);
    for (const row of page) yield { id: row.id, vector: row.embedding };
    if (page.length < REBUILD_PAGE) return;
    afterId = page.at(-1)!.id;
  }
}
