/**
 * Drives many requests through the proxy and samples its resident memory at fixed steps, to
 * show both its size under load and whether it keeps growing once warm (a leak).
 */
import { runConcurrently } from "./measure-interleaved";
import type { BenchRequest } from "./prepare-overhead-requests";

interface RssSample {
  /** Requests completed in this phase when the sample was taken. */
  requests: number;
  bytes: number;
}

export interface RssTrack {
  samples: RssSample[];
  peakBytes: number;
  /** Middle sample minus first. */
  firstHalfGrowthBytes: number;
  /** Last sample minus middle: what a leak would show once start-up allocations have settled. */
  secondHalfGrowthBytes: number;
  /**
   * The least-squares trend through the second half's samples, as growth over that half: less
   * sensitive than two end points to the steps in which the GC resizes its heap.
   */
  secondHalfTrendBytes: number;
  /** RSS once the load has stopped and `settleMs` passed: what the process keeps, not what it borrowed. */
  settledBytes: number;
  settleMs: number;
}

export interface RssTrackOptions {
  total: number;
  every: number;
  concurrency: number;
  readRss: () => number;
  /** Idle time after the last batch before the settled sample (default 5 s). */
  settleMs?: number;
}

/**
 * Sends `total` requests, split evenly across `requests` in batches of `every`, and reads
 * the RSS before the first and after each batch.
 *
 * @example
 * const track = await trackProxyRss([json49k, stream49k], { total: 10_000, every: 1_000, concurrency: 16, readRss: proxy.readRss });
 */
export async function trackProxyRss(requests: BenchRequest[], options: RssTrackOptions): Promise<RssTrack> {
  const samples: RssSample[] = [{ requests: 0, bytes: options.readRss() }];
  for (let done = 0; done < options.total; ) {
    const size = Math.min(options.every, options.total - done);
    // Every batch splits evenly across the kinds, so every sample follows the same mix.
    for (const [k, request] of requests.entries()) {
      const share = Math.floor((size * (k + 1)) / requests.length) - Math.floor((size * k) / requests.length);
      await runConcurrently(request, share, options.concurrency, () => undefined);
    }
    done += size;
    samples.push({ requests: done, bytes: options.readRss() });
  }
  const settleMs = options.settleMs ?? 5_000;
  await Bun.sleep(settleMs);
  const settledBytes = options.readRss();
  const middleIndex = Math.floor((samples.length - 1) / 2);
  const [first, middle, last] = [samples[0]!, samples[middleIndex]!, samples[samples.length - 1]!];
  return {
    samples,
    peakBytes: Math.max(...samples.map((sample) => sample.bytes)),
    firstHalfGrowthBytes: middle.bytes - first.bytes,
    secondHalfGrowthBytes: last.bytes - middle.bytes,
    secondHalfTrendBytes: fitSlope(samples.slice(middleIndex)) * (last.requests - middle.requests),
    settledBytes,
    settleMs,
  };
}

/** Bytes per request of the least-squares line through the samples; 0 for fewer than two. */
function fitSlope(samples: RssSample[]): number {
  if (samples.length < 2) return 0;
  const meanX = samples.reduce((sum, sample) => sum + sample.requests, 0) / samples.length;
  const meanY = samples.reduce((sum, sample) => sum + sample.bytes, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.requests - meanX) * (sample.bytes - meanY);
    variance += (sample.requests - meanX) ** 2;
  }
  return covariance / variance;
}
