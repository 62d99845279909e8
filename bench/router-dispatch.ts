/**
 * Section `dispatch` of bench/router.ts: what the whole router costs a request that succeeds at
 * once, in-process, with no network: route resolution, the group's candidates and ranking, the
 * circuit, the concurrency limiter, the deadline timer, the attempt's bookkeeping and `settle`.
 * The attempt itself does nothing, so this is the router's own share of the request path.
 */

import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import type { Backend } from "../src/backends/backend";
import { type Config, ConfigSchema } from "../src/config/config-schema";
import type { MessageCreateParams } from "../src/protocol/anthropic/messages";
import { Router } from "../src/router/router";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";

const BODY_PATH = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const CALLS = 20_000;

/** Only what the router reads of a backend; the attempt never calls it. */
function describeBackend(id: string): Backend {
  return {
    id,
    kind: "llamacpp",
    mode: "translate",
    baseUrl: `http://${id}`,
    listModels: async () => [{ id: "m", slots: 4 }],
  } as unknown as Backend;
}

/** @example await measureDispatch(); // prints a markdown table */
export async function measureDispatch(): Promise<void> {
  const body = (await Bun.file(BODY_PATH).json()) as MessageCreateParams;
  const request = normalizeAnthropicRequest(body, { stripBillingHeader: true, systemMessages: "hoist" }).value;
  const rows: string[] = [];
  for (const [name, backends, groups] of [
    ["single target (one backend)", ["a"], {}],
    ["no group, 4 backends (the default group, failover)", ["a", "b", "c", "d"], {}],
    ["group of 4, least-busy", ["a", "b", "c", "d"], { pair: { strategy: "least-busy", targets: ["a/m", "b/m", "c/m", "d/m"] } }],
    [
      "group of 4, prefix-affinity (key + slot)",
      ["a", "b", "c", "d"],
      { pair: { strategy: "prefix-affinity", targets: ["a/m", "b/m", "c/m", "d/m"] } },
    ],
  ] as const) {
    const config = Value.Default(ConfigSchema, {
      models: { default: Object.keys(groups).length === 0 ? "a/m" : "pair" },
      modelGroups: groups,
    }) as Config;
    const router = new Router(
      backends.map((id) => ({ backend: describeBackend(id), config: { maxConcurrency: 8 } })),
      config,
    );
    await router.refresh();
    const input = { request, estimatedTokens: 12_000, signal: new AbortController().signal };
    const run = async (calls: number) => {
      for (let i = 0; i < calls; i++) (await router.dispatch(input, async () => i)).settle({ kind: "completed", outputTokens: 9 });
    };
    await run(CALLS / 4);
    const started = performance.now();
    await run(CALLS);
    rows.push(`| ${name} | ${(((performance.now() - started) * 1000) / CALLS).toFixed(2)} |`);
  }
  process.stdout.write(`\n## Whole dispatch, first attempt succeeds\n\n`);
  process.stdout.write(
    `Router.dispatch on Claude Code's 49 KB request (normalized) with an attempt that does nothing; mean of ${CALLS} calls after warm-up.\n\n`,
  );
  process.stdout.write(`| route | µs per request |\n|---|---|\n${rows.join("\n")}\n`);
}
