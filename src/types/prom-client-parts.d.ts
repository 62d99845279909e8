/**
 * prom-client's own modules, imported one by one: its index also loads the push gateway, the
 * cluster aggregator and the default Node metrics, about 10 MB of resident memory that the
 * binary's idle budget (60 MB) cannot spare. Types come from the package's own declarations.
 */
declare module "prom-client/lib/registry" {
  import type { Registry } from "prom-client";

  const RegistryClass: typeof Registry;
  export default RegistryClass;
}
declare module "prom-client/lib/counter" {
  import type { Counter } from "prom-client";

  const CounterClass: typeof Counter;
  export default CounterClass;
}
declare module "prom-client/lib/gauge" {
  import type { Gauge } from "prom-client";

  const GaugeClass: typeof Gauge;
  export default GaugeClass;
}
declare module "prom-client/lib/histogram" {
  import type { Histogram } from "prom-client";

  const HistogramClass: typeof Histogram;
  export default HistogramClass;
}
