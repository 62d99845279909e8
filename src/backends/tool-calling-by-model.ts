/**
 * Remembers, per model, how tools reach it (`tools.calling`): as configured, or, for `auto`, as
 * the engine says (detect-tool-calling.ts), asked once per model. One per backend object: what
 * an engine said about its models lives as long as the backend.
 */
import type { CallOptions } from "./backend";
import type { BackendSettings } from "./backend-settings";
import { detectToolCalling } from "./detect-tool-calling";
import { resolveToolSettings } from "./resolve-tool-settings";

/** How tools reach the model for one request: `tools.calling` once `auto` is decided. */
export type ToolCalling = "native" | "prompt";

/**
 * @example
 * const toolCalling = new ToolCallingByModel(settings);
 * await toolCalling.resolve("qwen3:0.6b", true, options.tools); // "prompt" when the model has no tool calling
 */
export class ToolCallingByModel {
  private readonly known = new Map<string, Promise<ToolCalling>>();

  constructor(private readonly settings: BackendSettings) {}

  /**
   * An engine that cannot tell, or cannot be asked, gets native tools; a failed probe is asked
   * again next time. Without tools in the request nothing is asked.
   */
  async resolve(model: string, hasTools: boolean, config: CallOptions["tools"]): Promise<ToolCalling> {
    const configured = resolveToolSettings(config, this.settings.id, model).calling;
    if (configured !== "auto" || !hasTools) return configured === "prompt" ? "prompt" : "native";
    let known = this.known.get(model);
    if (known === undefined) {
      known = detectToolCalling(this.settings, model).then((found) => found ?? "native");
      this.known.set(model, known);
      known.catch(() => this.known.delete(model));
    }
    return known.catch(() => "native" as const);
  }
}
