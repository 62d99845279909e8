/**
 * `GET /v1/models` in Anthropic's shape: every model of every backend (once, naming each
 * backend that serves it), then the Claude names Claude Code asks for, each showing which local
 * model answers it. `limit` and `after_id` page the list.
 */
import type { Config } from "../config/config-schema";
import { NoBackendError, NotFoundError } from "../errors/proxy-error";
import type { ModelInfo, ModelsPage } from "../protocol/anthropic/models";
import type { Router } from "../router/router";
import { applyConfiguredWindows } from "./apply-configured-windows";

/** The names Claude Code 2.1.x requests by default; configured aliases are listed too. */
const CLAUDE_CODE_MODELS = ["claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"];
const EPOCH = "1970-01-01T00:00:00Z";

export function listModels(router: Router, config: Config, query: { limit?: number; after_id?: string }): ModelsPage {
  const servedBy = new Map<string, string[]>();
  for (const status of applyConfiguredWindows(router.statuses(), config.context.windows)) {
    for (const model of status.models ?? []) {
      const backend = model.contextWindow ? `${status.id}, ${model.contextWindow} ctx` : status.id;
      servedBy.set(model.id, [...(servedBy.get(model.id) ?? []), backend]);
    }
  }
  const local: ModelInfo[] = [...servedBy].map(([id, backends]) => ({
    type: "model" as const,
    id,
    display_name: `${id} (${backends.join("; ")})`,
    created_at: EPOCH,
  }));
  const claudeNames = [...new Set([...CLAUDE_CODE_MODELS, ...Object.keys(config.models.aliases)])];
  const mapped: ModelInfo[] = claudeNames.flatMap((id) => {
    try {
      const { decision } = router.select({ request: { model: id }, estimatedTokens: 0 });
      // A group's first target changes from request to request; its name is what stays.
      const target = decision.group === undefined ? `${decision.backendId}/${decision.model}` : `model group ${decision.group}`;
      return [{ type: "model" as const, id, display_name: `${id} → ${target}`, created_at: EPOCH }];
    } catch (error) {
      // No backend can answer this name right now: leave it out of the list.
      if (error instanceof NotFoundError || error instanceof NoBackendError) return [];
      throw error;
    }
  });
  const all = [...local, ...mapped];
  const start = query.after_id ? all.findIndex((model) => model.id === query.after_id) + 1 : 0;
  const limit = Math.min(Math.max(query.limit ?? 20, 1), 1000);
  const data = all.slice(start, start + limit);
  return { data, has_more: start + limit < all.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
