/**
 * What the request path and the router exchange: the target an attempt runs against, the record
 * of every attempt made, and the outcome of a dispatch, either an answer that started or a
 * DispatchError carrying the last failure.
 */
import type { Backend } from "../backends/backend";
import type { RouteDecision } from "./resolve-route";

export interface DispatchTarget {
  backend: Backend;
  /** The route, with backendId and model of this attempt's target. */
  decision: RouteDecision;
  /**
   * Aborts when the client leaves or the overall deadline passes: the attempt passes it to the
   * backend call (CallOptions.signal), and a started answer keeps reading under it.
   */
  signal: AbortSignal;
  /** llama-server slot to pin the request to (CallOptions.slot): see pinLlamaSlot. */
  slot?: number;
}

export interface AttemptRecord {
  backendId: string;
  model: string;
  error?: unknown;
}

/** How a started answer ended, for the circuit, the health count and the usage figures. */
export type AnswerOutcome = { kind: "completed"; outputTokens?: number } | { kind: "failed"; error: unknown } | { kind: "cancelled" };

export interface Dispatched<T> extends DispatchTarget {
  result: T;
  /** Every attempt, in order; the last one answered. */
  attempts: AttemptRecord[];
  /**
   * Must be called once the answer ends (a whole message: at once; a stream: at its end, its
   * failure or its cancellation). Frees the backend's concurrency slot; later calls do nothing.
   */
  settle(outcome: AnswerOutcome): void;
}

/** The last attempt's error, with every attempt made, for logs, metrics and headers. */
export class DispatchError extends Error {
  constructor(
    readonly failure: unknown,
    readonly attempts: AttemptRecord[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
  }
}
