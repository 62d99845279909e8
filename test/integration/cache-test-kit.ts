/**
 * What the response-cache integration tests share: the real server (startProxy) with its cache
 * in a temporary data dir, in front of one scripted backend, and a client that posts a Messages
 * request with chosen headers and says what the cache did (`x-anyclaude-cache`).
 */
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResponseCacheStats } from "../../src/cache/response-cache";
import type { Config } from "../../src/config/config-schema";
import { type ConfigOverrides, type ProxyBackend, type StartedProxy, type StartProxyOptions, startProxy } from "../support/start-proxy";

const BACKEND_ID = "local";

/** A fresh directory for a test's database and index; removed with `removeScratch`. */
export function makeScratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `anyclaude-${label}-`));
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CachingProxyOptions {
  /** The data dir (database, index); the cache dir sits inside it. */
  dataDir: string;
  cache?: { [K in keyof Config["cache"]]?: Config["cache"][K] extends object ? Partial<Config["cache"][K]> : Config["cache"][K] };
  overrides?: ConfigOverrides;
  /** Embedding model file for the semantic cache. */
  modelPath?: string;
  start?: StartProxyOptions;
}

/**
 * One attempt per request, so a backend failure is what the client sees (and nothing is retried into the cache).
 *
 * @example
 * const proxy = await startCachingProxy({ url: backend.url, kind: "anthropic", mode: "native" }, { dataDir });
 */
export function startCachingProxy(backend: Omit<ProxyBackend, "id">, options: CachingProxyOptions): Promise<StartedProxy> {
  const timeouts = { firstByteMs: 5_000, idleMs: 5_000, totalMs: 20_000, ...backend.timeouts };
  return startProxy(
    {
      retry: { maxAttempts: 1 },
      ...options.overrides,
      paths: { dataDir: options.dataDir, cacheDir: join(options.dataDir, "cache-dir") },
      cache: options.cache as Partial<Config["cache"]>,
      embedding: options.modelPath ? { modelPath: options.modelPath } : undefined,
    },
    [{ id: BACKEND_ID, ...backend, timeouts }],
    options.start,
  );
}

/**
 * The common file setup: a native-mode caching proxy in front of `backend` for the whole file,
 * started before the first test and stopped, with the backend and the data dir, after the last.
 *
 * @example
 * let proxy: StartedProxy;
 * useCachingProxyForFile(backend, dir, (started) => (proxy = started));
 */
export function useCachingProxyForFile(
  backend: { url: string; stop(): Promise<void> },
  dataDir: string,
  use: (proxy: StartedProxy) => void,
): void {
  let started: StartedProxy | undefined;
  beforeAll(async () => {
    started = await startCachingProxy({ url: backend.url, kind: "anthropic", mode: "native" }, { dataDir });
    use(started);
  });
  afterAll(async () => {
    await started?.stop();
    await backend.stop();
    removeScratch(dataDir);
  });
}

export const BASE_REQUEST = { model: "claude-sonnet-5-5", max_tokens: 256, messages: [{ role: "user", content: "Say hi." }] };

/** @example const response = await post(proxy, { ...BASE_REQUEST, stream: true }, { "x-anyclaude-cache": "bypass" }); */
export function post(
  proxy: { url: string },
  body: unknown,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The cache header of a response, after reading its body (so a stream has ended and been stored or not). */
export async function postAndRead(
  proxy: StartedProxy,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ cache: string | null; key: string | null; status: number; text: string }> {
  const response = await post(proxy, body, headers);
  const text = await response.text();
  await settle(proxy);
  return {
    cache: response.headers.get("x-anyclaude-cache"),
    key: response.headers.get("x-anyclaude-cache-key"),
    status: response.status,
    text,
  };
}

/** Waits until the answers already sent are stored (or refused). */
async function settle(proxy: StartedProxy): Promise<void> {
  await proxy.server.cache!.whenIdle();
}

export async function readStats(proxy: StartedProxy): Promise<ResponseCacheStats> {
  await settle(proxy);
  const response = await fetch(`${proxy.url}/v1/cache/stats`);
  if (response.status !== 200) throw new Error(`GET /v1/cache/stats answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as ResponseCacheStats;
}

export function exactEntries(stats: ResponseCacheStats): number {
  const exact = stats.exact;
  if (exact === undefined || "error" in exact) throw new Error(`no exact store stats: ${JSON.stringify(exact)}`);
  return exact.entries;
}
