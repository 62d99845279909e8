/**
 * What the router reports as it works, for metrics and logs. The router layer knows neither
 * prom-client nor the logger; the server hands in an observer that feeds both.
 */
import type { BackendModel } from "../backends/backend";
import type { CircuitState } from "./circuit-breaker";

/** Why a dispatch moved on from a target to the next one. */
export type FallbackReason = "retries-exhausted" | "circuit-open" | "overloaded" | "context-overflow";

export interface RouterObserver {
  /** One attempt ended before or at its first byte: answered, or failed with `error`. */
  onAttempt(event: { backendId: string; model: string; error?: unknown }): void;
  /** About to try the same target again after `delayMs`. */
  onRetry(event: { backendId: string; model: string; delayMs: number; error: unknown }): void;
  /** Leaving this target for the next one (or the next group). */
  onFallback(event: { backendId: string; model: string; reason: FallbackReason; error: unknown }): void;
  onCircuitTransition(event: { backendId: string; from: CircuitState; to: CircuitState }): void;
  /** The backend left (healthy false) or rejoined the rotation. */
  onHealthChange(event: { backendId: string; healthy: boolean; lastError?: string }): void;
  /** A backend's model list was read after start-up and differs from the one known (undefined: none was). */
  onModelsChange(event: { backendId: string; models: BackendModel[]; previous: BackendModel[] | undefined }): void;
  /** Discovery found an engine on a local port and added it. */
  onBackendFound(event: { backendId: string; url: string; kind: string; mode: string }): void;
  /** Discovery saw an engine answer on a port but could not add it; the port is looked at again. */
  onDiscoveryError(event: { url: string; error: unknown }): void;
}

/** For callers that need no reports (tests of other parts, tools). */
export const SILENT_OBSERVER: RouterObserver = {
  onAttempt: () => undefined,
  onRetry: () => undefined,
  onFallback: () => undefined,
  onCircuitTransition: () => undefined,
  onHealthChange: () => undefined,
  onModelsChange: () => undefined,
  onBackendFound: () => undefined,
  onDiscoveryError: () => undefined,
};
