/**
 * Samples a process's resident memory and open file descriptors from /proc at a fixed interval
 * while a load runs, with how far the load had got at each sample.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessSample {
  seconds: number;
  /** Requests done when the sample was taken. */
  done: number;
  rssBytes: number;
  fds: number;
}

/**
 * @example
 * const sampler = sampleProcess(proxy.pid, 2000, () => done);
 * // … the load …
 * const samples = sampler.stop();
 */
export function sampleProcess(pid: number, everyMs: number, readDone: () => number): { stop(): ProcessSample[] } {
  const started = performance.now();
  const samples: ProcessSample[] = [];
  const take = () => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
    samples.push({
      seconds: (performance.now() - started) / 1000,
      done: readDone(),
      rssBytes: rssKb * 1024,
      fds: readdirSync(`/proc/${pid}/fd`).length,
    });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
