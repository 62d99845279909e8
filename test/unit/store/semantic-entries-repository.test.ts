/** The semantic cache's table on a real SQLite file: ids as index labels, context and embedder filters, eviction returning ids. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/open-store";
import { type NewSemanticEntry, SemanticEntriesRepository } from "../../../src/store/semantic-entries-repository";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-semantic-"));
const opened: Store[] = [];
let created = 0;
afterAll(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openRepository(): { store: Store; semantic: SemanticEntriesRepository } {
  const store = openStore({ path: join(dir, `semantic-${++created}.db`) });
  opened.push(store);
  return { store, semantic: new SemanticEntriesRepository(store.db) };
}

const T0 = 1_800_000_000_000;

function entry(label: string, overrides: Partial<NewSemanticEntry> = {}): NewSemanticEntry {
  const message = JSON.stringify({
    id: `msg_${label}`,
    type: "message",
    role: "assistant",
    content: [{ type: "text", text: `Title: ${label}` }],
  });
  return {
    contextHash: "context-a",
    embedderId: "minilm-l6-v2:abc123",
    requestText: `how do I ${label}?`,
    embedding: Float32Array.from({ length: 384 }, (_, index) => Math.sin(index + label.length) / 10),
    message,
    bytes: message.length,
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    ...overrides,
  };
}

describe("SemanticEntriesRepository", () => {
  test("insert returns increasing ids; findLive returns the full answer for the right context, embedder and time", () => {
    const { semantic } = openRepository();
    const first = entry("sort a list");
    const id = semantic.insert(first);
    const second = semantic.insert(entry("reverse a string"));
    expect(second).toBeGreaterThan(id);
    expect(semantic.findLive(id, "context-a", first.embedderId, T0 + 1)).toEqual({
      id,
      requestText: first.requestText,
      message: first.message,
      bytes: first.bytes,
      createdAt: T0,
      expiresAt: first.expiresAt,
    });
    expect(semantic.findLive(id, "context-b", first.embedderId, T0 + 1)).toBeUndefined();
    expect(semantic.findLive(id, "context-a", "another-model", T0 + 1)).toBeUndefined();
    expect(semantic.findLive(id, "context-a", first.embedderId, first.expiresAt)).toBeUndefined();
  });

  test("a deleted id is never given out again, so a stale index label cannot reach a newer answer", () => {
    const { semantic } = openRepository();
    const ids = [semantic.insert(entry("a")), semantic.insert(entry("b"))];
    semantic.delete(ids[1]!);
    semantic.deleteAll();
    expect(semantic.insert(entry("c"))).toBe(ids[1]! + 1);
  });

  test("vectors come back bit for bit, page by page in id order, for the index rebuild", () => {
    const { semantic } = openRepository();
    const inserted = ["a", "bb", "ccc", "dddd", "eeeee"].map((label) => {
      const values = entry(label);
      return { id: semantic.insert(values), embedding: values.embedding };
    });
    semantic.insert(entry("other model", { embedderId: "other" }));
    expect(semantic.count("minilm-l6-v2:abc123")).toBe(5);
    const pages: Array<Array<{ id: number; embedding: Float32Array }>> = [];
    let afterId = 0;
    for (;;) {
      const page = semantic.listEmbeddings("minilm-l6-v2:abc123", afterId, 2);
      if (page.length === 0) break;
      pages.push(page);
      afterId = page.at(-1)!.id;
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(inserted);
  });

  test("expired and least recently used entries are deleted and their ids returned", () => {
    const { semantic } = openRepository();
    const shortLived = semantic.insert(entry("short", { expiresAt: T0 + 10 }));
    const old = semantic.insert(entry("old", { createdAt: T0 + 1 }));
    const used = semantic.insert(entry("used", { createdAt: T0 + 2 }));
    const recent = semantic.insert(entry("recent", { createdAt: T0 + 3 }));
    semantic.touch(used, T0 + 100);
    semantic.touch(used, T0 + 50);
    expect(semantic.deleteExpired(T0 + 10)).toEqual([shortLived]);
    expect(semantic.deleteLeastRecentlyUsed(2).sort()).toEqual([old, recent].sort());
    expect(semantic.findLive(used, "context-a", "minilm-l6-v2:abc123", T0 + 200)).toBeDefined();
  });

  test("entries of another embedder are deleted together, returning their ids", () => {
    const { semantic } = openRepository();
    const kept = semantic.insert(entry("kept"));
    const stale = [semantic.insert(entry("x", { embedderId: "old-model" })), semantic.insert(entry("y", { embedderId: "older-model" }))];
    expect(semantic.deleteOtherEmbedders("minilm-l6-v2:abc123").sort()).toEqual(stale.sort());
    expect(semantic.count("minilm-l6-v2:abc123")).toBe(1);
    expect(semantic.findLive(kept, "context-a", "minilm-l6-v2:abc123", T0)).toBeDefined();
  });
});
