/**
 * Doctor's view of a running `anyclaude serve`: its router's live state per backend, read from
 * its `/health` (in rotation or not, circuit, models as last read, load, latency, last error),
 * and what its discovery found since start-up and still looks at. Doctor probes the engines
 * itself; only the running server knows what its traffic taught it.
 */
import { describeBackendModels } from "../backends/describe-backend-models";
import type { Config } from "../config/config-schema";
import type { BackendStatus } from "../router/backend-pool";
import type { DiscoveryStatus } from "../router/discovery-monitor";
import type { DoctorRow } from "./doctor-check";

const TIMEOUT_MS = 1_500;

/**
 * One row per backend of the server at `config.server`, or one row saying none answers there.
 *
 * @example
 * rows.push(...(await checkRunningRouter(config)));
 */
export async function checkRunningRouter(config: Config): Promise<DoctorRow[]> {
  const host = ["0.0.0.0", "::"].includes(config.server.host) ? "127.0.0.1" : config.server.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}/health`;
  let backends: BackendStatus[];
  let discovery: DiscoveryStatus | undefined;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await response.json()) as { backends?: unknown; discovery?: DiscoveryStatus };
    if (
      !Array.isArray(body.backends) ||
      !body.backends.every((backend) => typeof backend === "object" && backend && "circuit" in backend)
    ) {
      return [
        {
          check: "router",
          status: "warn",
          detail: `${url} answers, but not as anyclaude's router does`,
          fix: "another program holds the port, or that anyclaude is older than this one",
        },
      ];
    }
    backends = body.backends as BackendStatus[];
    discovery = body.discovery;
  } catch {
    return [
      {
        check: "router",
        status: "ok",
        detail: `no anyclaude serve answering at ${url}; the router's live state shows here while one runs`,
      },
    ];
  }
  const rows = backends.map((backend) => describeBackendState(backend));
  return discovery ? [...rows, describeDiscovery(discovery)] : rows;
}

function describeDiscovery(discovery: DiscoveryStatus): DoctorRow {
  const found = discovery.found.map((engine) => `found ${engine.backend} at ${engine.url} (${engine.at})`);
  const watching =
    discovery.watching.length > 0
      ? `still looking on 127.0.0.1 ports ${discovery.watching.join(", ")}${discovery.nextLookAt ? ` (next ${discovery.nextLookAt})` : ""}`
      : "every discovery port answered";
  return { check: "router discovery", status: "ok", detail: [...found, watching].join("; ") };
}

function describeBackendState(backend: BackendStatus): DoctorRow {
  const load = `${backend.inFlight} in flight${backend.maxConcurrency === null ? "" : ` of ${backend.maxConcurrency}`}, ${backend.queued} queued`;
  const latency = backend.latencyEwmaMs === null ? "" : `, first byte ~${backend.latencyEwmaMs} ms`;
  const check = `${backend.id} router`;
  const models = backend.models === undefined ? "" : `, models ${describeBackendModels(backend.models) || "none"}`;
  if (backend.healthy && backend.circuit === "closed") {
    return { check, status: "ok", detail: `in rotation, circuit closed${models}, ${load}${latency}` };
  }
  const why = backend.lastError ? `: ${backend.lastError}` : "";
  const rotation = backend.healthy ? "in rotation" : "out of rotation";
  return {
    check,
    status: "warn",
    detail: `${rotation}, circuit ${backend.circuit}${models}, ${load}${why}`,
    fix: "the running server keeps probing it (health.unhealthyIntervalMs) and sends traffic again once it answers; see the rows above for what the engine says now",
  };
}
