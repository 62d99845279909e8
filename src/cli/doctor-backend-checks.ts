/**
 * Doctor's checks of the backends: for each configured one (or, with none configured, each
 * found on the usual local ports) whether it answers and as what, its models and their context
 * windows, whether it has a native Anthropic /v1/messages and whether it passes the router's
 * health probe; then what a running `anyclaude serve` knows of each. Probing is the backends'
 * own (detectBackendKind, resolveBackendSettings, listBackendModels, checkBackendHealth); this
 * file only words results.
 */
import { Value } from "@sinclair/typebox/value";
import type { BackendModel } from "../backends/backend";
import { type BackendSettings, buildAuthHeaders } from "../backends/backend-settings";
import { checkBackendHealth, selectHealthPath } from "../backends/check-backend-health";
import { probeNativeMessages } from "../backends/detect-backend-kind";
import { discoverLocalBackends } from "../backends/discover-local-backends";
import { listBackendModels } from "../backends/list-backend-models";
import { OLLAMA_DEFAULT_SOURCE } from "../backends/read-context-window";
import { BackendSetupError, BackendUnreachableError, nameBackend, resolveBackendSettings } from "../backends/resolve-backend-settings";
import { type BackendConfig, BackendSchema } from "../config/config-schema";
import type { ContextConfig } from "../config/context-config-schema";
import { resolveTargetWindow } from "../context/resolve-target-window";
import type { DoctorCheck, DoctorContext, DoctorRow } from "./doctor-check";
import { checkRunningRouter } from "./doctor-router-check";

export const BACKENDS_CHECK: DoctorCheck = {
  name: "backends",
  async run(context) {
    const { config } = context;
    const rows =
      config.backends.length > 0
        ? (await Promise.all(config.backends.map((backend, index) => checkBackend(backend, `backends[${index}]`, context)))).flat()
        : await checkDiscoveredBackends(context);
    return [...rows, ...(await checkRunningRouter(config))];
  },
};

async function checkDiscoveredBackends(context: DoctorContext): Promise<DoctorRow[]> {
  const { discovery } = context.config;
  const noBackendFix =
    "start llama-server, Ollama, LM Studio or vLLM, or name the server: --backend http://127.0.0.1:8080 (or backends: in the config file)";
  if (!discovery.enabled) {
    return [{ check: "backends", status: "fail", detail: "none configured and discovery is off", fix: noBackendFix }];
  }
  const found = await discoverLocalBackends(discovery.ports, discovery.timeoutMs);
  if (found.length === 0) {
    return [
      {
        check: "backends",
        status: "fail",
        detail: `none configured; nothing answered on 127.0.0.1 ports ${discovery.ports.join(", ")}`,
        fix: `${noBackendFix}; a running serve keeps probing these ports and uses an engine started there without a restart`,
      },
    ];
  }
  // Discovery already knows kind and mode, as `serve` would take them.
  const configs = found.map(
    (entry) => Value.Default(BackendSchema, { url: entry.url, kind: entry.kind, mode: entry.mode }) as BackendConfig,
  );
  const rows = await Promise.all(configs.map((backend) => checkBackend(backend, "discovered", context)));
  return rows.flat();
}

async function checkBackend(backend: BackendConfig, where: string, { config, env }: DoctorContext): Promise<DoctorRow[]> {
  // Named as serve names it; until probing tells the kind, as serve names a backend that is down.
  let id = backend.id ?? nameBackend(backend.kind === "auto" ? "backend" : backend.kind, backend.url);
  const row = (check: string, status: DoctorRow["status"], detail: string, fix?: string): DoctorRow => ({
    check: `${id} ${check}`,
    status,
    detail,
    fix,
  });

  let settings: BackendSettings;
  try {
    settings = await resolveBackendSettings(backend, { env, probeTimeoutMs: config.discovery.timeoutMs });
  } catch (error) {
    if (error instanceof BackendSetupError)
      return [row("api key", "fail", error.message, `set the variable or file ${where} names, or fix ${where}.apiKeyEnv / apiKeyFile`)];
    if (error instanceof BackendUnreachableError) {
      return [row("reachable", "fail", error.message, `start the engine at ${backend.url}, or fix ${where}.url`)];
    }
    throw error;
  }
  id = settings.id;
  const probed = backend.kind === "auto" ? "detected" : "configured";
  const rows = [row("reachable", "ok", `${settings.kind} (${probed}) at ${settings.baseUrl}, ${settings.mode} mode`)];

  let models: BackendModel[];
  try {
    models = await listBackendModels(settings);
  } catch (error) {
    const fix = `check that the engine at ${settings.baseUrl} is up and serves its model list; with kind set explicitly, check ${where}.kind`;
    return [row("reachable", "fail", `${settings.kind} at ${settings.baseUrl}: ${(error as Error).message}`, fix)];
  }
  rows.push(
    models.length > 0
      ? row("models", "ok", models.map((model) => model.id).join(", "))
      : row(
          "models",
          "fail",
          "the engine lists no model",
          "load a model in the engine (llama-server -m, ollama pull, LM Studio's model loader)",
        ),
  );

  const native = await probeNativeMessages(settings.baseUrl, {
    timeoutMs: config.discovery.timeoutMs,
    headers: buildAuthHeaders({ ...settings, mode: "native" }),
  });
  rows.push(describeNativeMessages(settings, native, where, row));
  rows.push(describeContextWindows(settings.id, models, config.context.windows, where, row));
  rows.push(await describeHealthProbe(settings, config.health.timeoutMs, row));
  return rows;
}

type MakeRow = (check: string, status: DoctorRow["status"], detail: string, fix?: string) => DoctorRow;

/** The probe the router repeats every `health.intervalMs`: a backend failing it is taken out of rotation. */
async function describeHealthProbe(settings: BackendSettings, timeoutMs: number, row: MakeRow): Promise<DoctorRow> {
  const probe = `GET ${selectHealthPath(settings.kind)}`;
  const started = performance.now();
  try {
    await checkBackendHealth(settings, { timeoutMs });
    return row("health probe", "ok", `${probe} answered in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    const fix =
      "the router takes a backend that fails this out of rotation; a llama-server still loading its model answers 503 until it is ready";
    return row("health probe", "fail", `${probe}: ${(error as Error).message}`, fix);
  }
}

function describeNativeMessages(settings: BackendSettings, native: boolean, where: string, row: MakeRow): DoctorRow {
  const check = "native /v1/messages";
  if (settings.mode === "native" && !native) {
    return row(check, "fail", "mode is native but the engine has no /v1/messages", `set ${where}.mode to translate (or auto)`);
  }
  if (native) return row(check, "ok", settings.mode === "native" ? "yes, used (native mode)" : "yes, not used (translate mode)");
  return row(check, "ok", "no; requests are translated to /v1/chat/completions");
}

/** Each model's window as the context step will fit requests to it, and where it came from. */
function describeContextWindows(
  backendId: string,
  models: BackendModel[],
  windows: ContextConfig["windows"],
  where: string,
  row: MakeRow,
): DoctorRow {
  const resolved = models.map((model) => ({ id: model.id, window: resolveTargetWindow(windows, backendId, model) }));
  const detail = resolved
    .filter((model) => model.window !== undefined)
    .map(({ id, window }) => `${id} ${window!.window} (${window!.source})`)
    .join(", ");
  if (resolved.some(({ window }) => window?.source === OLLAMA_DEFAULT_SOURCE)) {
    // Ollama's OpenAI-compatible endpoint ignores a request's num_ctx and silently cuts longer prompts.
    return row(
      "context window",
      "warn",
      `${detail}: Ollama's default, smaller than Claude Code's first request`,
      "give the model a larger num_ctx (a Modelfile `PARAMETER num_ctx 32768`, or OLLAMA_CONTEXT_LENGTH for the server); anyclaude plans for the window Ollama reports and trims to it",
    );
  }
  if (models.length > 0 && resolved.every(({ window }) => window !== undefined)) return row("context window", "ok", detail);
  const unknown = resolved.filter(({ window }) => window === undefined).map(({ id }) => id);
  return row(
    "context window",
    "warn",
    `not reported by the engine${unknown.length > 0 ? ` for ${unknown.join(", ")}` : ""}`,
    `set ${where}.contextWindow (or context.windows) to the window the engine runs with (llama-server -c, Ollama num_ctx)`,
  );
}
