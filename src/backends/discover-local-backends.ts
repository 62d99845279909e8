/**
 * With no backend configured, look where local engines usually listen (Ollama 11434,
 * llama.cpp 8080, LM Studio 1234, vLLM 8000) and offer whatever answers.
 */
import type { BackendKind, BackendMode } from "../config/config-choices";
import { detectBackendKind } from "./detect-backend-kind";

export interface DiscoveredBackend {
  port: number;
  url: string;
  kind: BackendKind;
  mode: BackendMode;
}

/**
 * @example
 * const found = await discoverLocalBackends([11434, 8080, 1234, 8000], 800);
 */
export async function discoverLocalBackends(ports: number[], timeoutMs: number): Promise<DiscoveredBackend[]> {
  const results = await Promise.all(
    ports.map(async (port) => {
      const url = `http://127.0.0.1:${port}`;
      const detected = await detectBackendKind(url, { timeoutMs });
      if (!detected) return undefined;
      const found: DiscoveredBackend = { port, url, kind: detected.kind, mode: detected.hasNativeMessages ? "native" : "translate" };
      return found;
    }),
  );
  return results.filter((found): found is DiscoveredBackend => found !== undefined);
}
