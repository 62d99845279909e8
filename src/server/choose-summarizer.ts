/**
 * Who writes `compress` summaries for an attempt: the target `context.summarizer` names
 * (`backendId/model`, a model group or a model name, routed as a request for it would be), else
 * the attempt's own target. A small fast model spares the main engine's slot and KV cache.
 */
import type { Backend, CallOptions } from "../backends/backend";
import type { Summarizer } from "../context/summarize-left-out-turns";
import { NotFoundError } from "../errors/proxy-error";
import type { Router } from "../router/router";
import { createBackendSummarizer } from "./summarize-with-backend";

export interface SummarizerTarget {
  backend: Backend;
  model: string;
  /** Its window, which bounds the transcript it is given. */
  window: number;
  /** llama-server's slot for side calls on this target, if it has one. */
  slot?: number;
}

/**
 * @throws NotFoundError when `configured` names nothing the router knows (the attempt then goes on with the marker).
 *
 * @example
 * const summarizer = chooseSummarizer(services.router, settings.summarizer, { backend, model: "qwen3", window: 16_384 }, options);
 * summarizer.id; // "small/qwen3:4b" with context.summarizer "small/qwen3:4b"
 */
export function chooseSummarizer(
  router: Pick<Router, "pool" | "select" | "catalog">,
  configured: string | undefined,
  own: SummarizerTarget,
  options: CallOptions,
): Summarizer {
  const target = configured === undefined ? own : findTarget(router, configured, own.window);
  return createBackendSummarizer(
    target.backend,
    target.model,
    target.window,
    target.slot === undefined ? options : { ...options, slot: target.slot },
  );
}

function findTarget(router: Pick<Router, "pool" | "select" | "catalog">, name: string, fallbackWindow: number): SummarizerTarget {
  const slash = name.indexOf("/");
  const entry = slash > 0 ? router.pool.get(name.slice(0, slash)) : undefined;
  let backend: Backend;
  let model: string;
  if (entry !== undefined) {
    backend = entry.backend;
    model = name.slice(slash + 1);
  } else {
    const selected = router.select({ request: { model: name }, estimatedTokens: 0 });
    // Any other route is the default one: a name nothing serves must not quietly become another model.
    if (selected.decision.route !== "direct" && selected.decision.route !== "alias") {
      throw new NotFoundError(`context.summarizer "${name}" names no backend, model group or served model`);
    }
    backend = selected.backend;
    model = selected.decision.model;
  }
  const listed = router
    .catalog()
    .find((candidate) => candidate.backendId === backend.id)
    ?.models?.find((candidate) => candidate.id === model)?.contextWindow;
  return { backend, model, window: listed ?? fallbackWindow };
}
