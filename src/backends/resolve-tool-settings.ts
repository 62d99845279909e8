/**
 * The tool-call settings that apply to one request on one backend: the global `tools` section,
 * with a target's own `calling` and `singleCall` over it (keyed `backendId/model` or `model`).
 */
import type { ToolCalling, ToolsConfig } from "../config/tools-config-schema";

export interface ToolSettings {
  textCalls: boolean;
  reask: boolean;
  calling: ToolCalling;
  singleCall: boolean;
}

/** What applies when the caller passes no `tools` section: the schema's defaults. */
const DEFAULTS: ToolSettings = { textCalls: true, reask: true, calling: "auto", singleCall: false };

/**
 * @example
 * resolveToolSettings({ ...config.tools, targets: { "llama/qwen3-0.6b": { singleCall: true } } }, "llama", "qwen3-0.6b").singleCall; // true
 */
export function resolveToolSettings(config: ToolsConfig | undefined, backendId: string, model: string): ToolSettings {
  if (config === undefined) return DEFAULTS;
  const target = config.targets[`${backendId}/${model}`] ?? config.targets[model] ?? {};
  return {
    textCalls: config.textCalls,
    reask: config.reask,
    calling: target.calling ?? config.calling,
    singleCall: target.singleCall ?? config.singleCall,
  };
}
