/** What the HTTP layer needs from the rest of anyclaude, handed in as plain values (no globals). */
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import type { BackendPool } from "../router/backend-pool";

export interface AppServices {
  config: Config;
  pool: BackendPool;
  logger: Logger;
  metrics: Metrics;
  /** Version string reported by /health and the OpenAPI document. */
  version: string;
}
