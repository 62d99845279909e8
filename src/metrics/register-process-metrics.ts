/**
 * The process metrics `serve` exports (memory, CPU, uptime), read when /metrics is scraped.
 * prom-client's collectDefaultMetrics would give more, but loading it costs about 10 MB of
 * resident memory at idle; these few are what an operator of a local proxy looks at.
 */
import type { Registry } from "prom-client";
import Counter from "prom-client/lib/counter";
import Gauge from "prom-client/lib/gauge";

export function registerProcessMetrics(registry: Registry): void {
  const startedAt = Date.now() / 1000;
  new Gauge({
    name: "anyclaude_process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: "anyclaude_process_heap_bytes",
    help: "JavaScript heap in use, in bytes.",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new Counter({
    name: "anyclaude_process_cpu_seconds_total",
    help: "User and system CPU time spent, in seconds.",
    registers: [registry],
    collect() {
      // A counter that mirrors the kernel's running total: reset, then add what it says now.
      const usage = process.cpuUsage();
      this.reset();
      this.inc((usage.user + usage.system) / 1e6);
    },
  });
  new Gauge({
    name: "anyclaude_process_start_time_seconds",
    help: "Start time of the process since the Unix epoch, in seconds.",
    registers: [registry],
    collect() {
      this.set(startedAt);
    },
  });
}
