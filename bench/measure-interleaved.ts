/**
 * Times requests the same way on both sides of the comparison, interleaving direct and proxied
 * calls so that whatever else the machine is doing weighs on both alike: one by one in
 * alternating order, or in alternating rounds of N concurrent callers.
 */
import type { BenchRequest, RequestPair } from "./prepare-overhead-requests";

export interface SideSamples {
  /** performance.now() when each request was sent. */
  startedAt: number[];
  /** Request sent until the body is fully read. */
  totalMs: number[];
  /** Request sent until the first body chunk arrives. */
  firstByteMs: number[];
}

export interface PairSamples {
  direct: SideSamples;
  proxied: SideSamples;
}

/**
 * One request, timed with performance.now() until its body is fully read; throws on any status
 * but 200 so that failures are never counted as fast answers.
 *
 * @example
 * const { totalMs, firstByteMs } = await timeRequest(pair.proxied);
 */
export async function timeRequest(request: BenchRequest): Promise<RequestTiming> {
  const body = pickBody(request);
  const started = performance.now();
  const response = await fetch(request.url, { method: "POST", headers: request.headers, body });
  if (response.status !== 200 || !response.body) {
    throw new Error(`${request.url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  const reader = response.body.getReader();
  let firstByte = -1;
  while (!(await reader.read()).done) {
    if (firstByte < 0) firstByte = performance.now();
  }
  const ended = performance.now();
  return { startedAt: started, totalMs: ended - started, firstByteMs: (firstByte < 0 ? ended : firstByte) - started };
}

export interface RequestTiming {
  startedAt: number;
  totalMs: number;
  firstByteMs: number;
}

/**
 * `count` requests on each side, alternating one by one; which side goes first alternates too.
 *
 * @example
 * const samples = await measureSequential(pair, 1000);
 */
export function measureSequential(pair: RequestPair, count: number): Promise<PairSamples> {
  return measureSidesInTurn(pair, count);
}

/**
 * `count` requests on each of any number of sides, one at a time in turn, the order reversed
 * every other round so that no side always follows the same one.
 *
 * @example
 * const samples = await measureSidesInTurn({ direct, anyclaude, router }, 1000);
 */
export async function measureSidesInTurn<Side extends string>(
  sides: Record<Side, BenchRequest>,
  count: number,
): Promise<Record<Side, SideSamples>> {
  const names = Object.keys(sides) as Side[];
  const samples = Object.fromEntries(names.map((name) => [name, emptySide()])) as Record<Side, SideSamples>;
  const reversed = names.toReversed();
  for (let i = 0; i < count; i++) {
    for (const side of i % 2 === 0 ? names : reversed) record(samples[side], await timeRequest(sides[side]));
  }
  return samples;
}

/**
 * `count` requests on each side with `concurrency` callers in flight, in alternating rounds of
 * `concurrency * 4` requests: long enough to load the server, short enough to share the drift.
 *
 * @example
 * const samples = await measureConcurrent(pair, 1000, 16);
 */
export async function measureConcurrent(pair: RequestPair, count: number, concurrency: number): Promise<PairSamples> {
  const samples = emptySamples();
  const roundSize = concurrency * 4;
  for (let done = 0, round = 0; done < count; done += roundSize, round++) {
    const size = Math.min(roundSize, count - done);
    const order = round % 2 === 0 ? (["direct", "proxied"] as const) : (["proxied", "direct"] as const);
    for (const side of order) await runConcurrently(pair[side], size, concurrency, (timing) => record(samples[side], timing));
  }
  return samples;
}

/**
 * `total` requests with `concurrency` callers in flight, each result handed to `onDone`.
 *
 * @example
 * await runConcurrently(pair.proxied, 1000, 16, () => undefined);
 */
export async function runConcurrently(
  request: BenchRequest,
  total: number,
  concurrency: number,
  onDone: (timing: RequestTiming) => void,
): Promise<void> {
  let started = 0;
  const caller = async () => {
    while (started < total) {
      started++;
      onDone(await timeRequest(request));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, caller));
}

const sent = new WeakMap<BenchRequest, number>();

/** The request's body, or the next of its variants in turn. */
function pickBody(request: BenchRequest): string {
  if (!request.variants) return request.body;
  const count = sent.get(request) ?? 0;
  sent.set(request, count + 1);
  return request.variants[count % request.variants.length]!;
}

function emptySamples(): PairSamples {
  return { direct: emptySide(), proxied: emptySide() };
}

function emptySide(): SideSamples {
  return { startedAt: [], totalMs: [], firstByteMs: [] };
}

function record(side: SideSamples, timing: RequestTiming): void {
  side.startedAt.push(timing.startedAt);
  side.totalMs.push(timing.totalMs);
  side.firstByteMs.push(timing.firstByteMs);
}
