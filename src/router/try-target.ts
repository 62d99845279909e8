/**
 * One target's share of a dispatch: pass the circuit, wait for a concurrency slot, run the
 * attempt, and on a retryable failure back off and run it again, until it answers, the retries
 * run out, or the deadline leaves no time to wait. Says why it gave up, so the router knows
 * where to go next; failures no other target could fix (a 4xx, the client leaving) are thrown.
 */
import { ClientAbortError, OverloadedError, type ProxyError } from "../errors/proxy-error";
import type { BackendEntry } from "./backend-entry";
import type { ReleaseSlot, RequestPriority } from "./concurrency-limiter";
import type { AttemptRecord, DispatchTarget } from "./dispatch-result";
import type { RouteDecision } from "./resolve-route";
import { computeRetryDelayMs, isContextOverflow, isRetryableError } from "./retry-policy";
import type { RouterClock } from "./router-clock";
import { CircuitOpenError, DeadlineExceededError } from "./router-errors";
import type { FallbackReason, RouterObserver } from "./router-observer";

export interface TargetCall<T> {
  entry: BackendEntry;
  decision: RouteDecision;
  priority: RequestPriority;
  /** Aborts on client abort (any reason) or on the overall deadline (a DeadlineExceededError). */
  signal: AbortSignal;
  /** The overall deadline on the router clock. */
  deadlineAt: number;
  slot?: number;
  attempt: (target: DispatchTarget) => Promise<T>;
  /** Shared by the whole dispatch; every attempt made is appended. */
  attempts: AttemptRecord[];
  clock: RouterClock;
  random: () => number;
  observer: RouterObserver;
  /**
   * Whether the outcome speaks for the backend's generation: feeds its latency average and its
   * circuit. Unmeasured work (counting tokens) only frees a half-open probe slot: a broken
   * tokenizer endpoint must not open the circuit generation goes through.
   */
  measured: boolean;
}

export type TargetOutcome<T> =
  | { kind: "answered"; result: T; release: ReleaseSlot }
  | { kind: "gave-up"; reason: FallbackReason | "deadline"; error: unknown };

/**
 * @example
 * const outcome = await tryTarget({ entry, decision, priority: "interactive", signal, deadlineAt, attempt, attempts, clock, random, observer });
 */
export async function tryTarget<T>(call: TargetCall<T>): Promise<TargetOutcome<T>> {
  const { entry, decision, clock, observer } = call;
  const target = { backendId: entry.id, model: decision.model };
  let lastError: unknown;
  for (let index = 0; index < entry.retry.maxAttempts; index++) {
    if (index > 0) {
      const delayMs = computeRetryDelayMs(index - 1, entry.retry, (lastError as ProxyError).retryAfterSeconds, call.random);
      // No time left to wait here; the next target needs no backoff, so it may still fit.
      if (clock.now() + delayMs >= call.deadlineAt) break;
      observer.onRetry({ ...target, delayMs, error: lastError });
      await clock.sleep(delayMs, call.signal);
      const aborted = checkAborted(call.signal);
      if (aborted) return aborted;
    }
    // The circuit first: queueing for a slot on a backend known to fail helps nobody.
    if (!entry.circuit.tryAcquire()) {
      return { kind: "gave-up", reason: "circuit-open", error: lastError ?? new CircuitOpenError(entry.id, entry.circuitCooldownMs) };
    }
    let release: ReleaseSlot;
    try {
      release = await entry.limiter.acquire(call.priority, call.signal);
    } catch (error) {
      entry.circuit.recordAbandoned();
      if (error instanceof OverloadedError) return { kind: "gave-up", reason: "overloaded", error };
      const aborted = checkAborted(call.signal);
      if (aborted) return aborted;
      throw error;
    }
    const started = clock.now();
    try {
      const result = await call.attempt({ backend: entry.backend, decision, signal: call.signal, slot: call.slot });
      if (call.measured) {
        entry.stats.recordFirstByte(clock.now() - started);
        entry.circuit.recordSuccess();
      } else entry.circuit.recordAbandoned();
      entry.health.recordSuccess();
      call.attempts.push(target);
      observer.onAttempt(target);
      return { kind: "answered", result, release };
    } catch (error) {
      release();
      call.attempts.push({ ...target, error });
      observer.onAttempt({ ...target, error });
      if (call.signal.aborted) {
        // Says nothing about the backend; and a half-open circuit must get its probe slot back.
        entry.circuit.recordAbandoned();
        return checkAborted(call.signal)!;
      }
      if (isContextOverflow(error) || !isRetryableError(error)) {
        // The engine answered, and sensibly: the request, not the backend, is what failed.
        if (call.measured) entry.circuit.recordSuccess();
        else entry.circuit.recordAbandoned();
        if (isContextOverflow(error)) return { kind: "gave-up", reason: "context-overflow", error };
        throw error;
      }
      // Real traffic feeds the circuit (passive detection); the probes alone decide health.
      if (call.measured) entry.circuit.recordFailure();
      else entry.circuit.recordAbandoned();
      lastError = error;
    }
  }
  return { kind: "gave-up", reason: "retries-exhausted", error: lastError };
}

/** The deadline ends this target's turn (the router stops there); a client that left ends everything. */
function checkAborted(signal: AbortSignal): TargetOutcome<never> | undefined {
  if (!signal.aborted) return undefined;
  if (signal.reason instanceof DeadlineExceededError) return { kind: "gave-up", reason: "deadline", error: signal.reason };
  throw new ClientAbortError();
}
