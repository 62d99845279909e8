/**
 * Runs one call of a proxy-run tool: from the tool-result cache when the tool is idempotent and
 * the same input ran before, else for real under the tool's timeout. Never throws: a failure,
 * a timeout or a tool that ignores its abort signal becomes an error output the model reads.
 */
import type { ProxyTool, ProxyToolOutput } from "./proxy-tool";
import { textOutput } from "./proxy-tool";

/** Where idempotent tools' outputs are kept, keyed by the tool and its canonical input. */
export interface ToolResultCache {
  get(tool: ProxyTool, input: unknown): Promise<ProxyToolOutput | undefined>;
  put(tool: ProxyTool, input: unknown, output: ProxyToolOutput): Promise<void>;
}

export type ProxyToolCallOutcome = "ok" | "error" | "timeout" | "cached";

/** Told about every call, for metrics and the request's log line. */
export interface ProxyToolCallObserver {
  onCall(tool: ProxyTool, outcome: ProxyToolCallOutcome, ms: number): void;
  /** Only for idempotent tools with a cache. */
  onCacheLookup(tool: ProxyTool, hit: boolean): void;
  /** The cache failed; the call went on without it. */
  onCacheError(tool: ProxyTool, error: unknown): void;
}

export interface ExecuteOptions {
  signal: AbortSignal;
  cache?: ToolResultCache;
  observer?: ProxyToolCallObserver;
}

/**
 * @example
 * const output = await executeProxyToolCall(tool, { q: "bun" }, { signal, cache, observer });
 */
export async function executeProxyToolCall(tool: ProxyTool, input: unknown, options: ExecuteOptions): Promise<ProxyToolOutput> {
  const started = performance.now();
  const cache = tool.idempotent ? options.cache : undefined;
  if (cache) {
    const cached = await cache.get(tool, input).catch((error: unknown) => void options.observer?.onCacheError(tool, error));
    options.observer?.onCacheLookup(tool, cached !== undefined);
    if (cached) {
      options.observer?.onCall(tool, "cached", performance.now() - started);
      return cached;
    }
  }
  const timeout = AbortSignal.timeout(tool.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let output: ProxyToolOutput;
  let outcome: ProxyToolCallOutcome;
  try {
    output = await untilAborted(tool.run(input, signal), signal);
    outcome = output.isError ? "error" : "ok";
  } catch (error) {
    outcome = timeout.aborted ? "timeout" : "error";
    output = timeout.aborted
      ? textOutput(`Tool ${tool.name} did not finish within ${tool.timeoutMs} ms.`, true)
      : textOutput(`Tool ${tool.name} failed: ${describeError(error, options.signal)}`, true);
  }
  options.observer?.onCall(tool, outcome, performance.now() - started);
  if (cache && !output.isError) {
    // The answer need not wait for the write; a failed one only costs a later hit.
    cache.put(tool, input, output).catch((error: unknown) => options.observer?.onCacheError(tool, error));
  }
  return output;
}

/** A tool that does not honour its signal must still not hold the answer. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function describeError(error: unknown, clientSignal: AbortSignal): string {
  if (clientSignal.aborted) return "the request was cancelled";
  return error instanceof Error ? error.message : String(error);
}
