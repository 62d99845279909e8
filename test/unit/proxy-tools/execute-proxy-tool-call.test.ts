/**
 * One call of a proxy-run tool: failures, timeouts and tools deaf to their signal become error
 * outputs the model reads; idempotent tools go through the cache, other tools never do.
 */
import { describe, expect, test } from "bun:test";
import { executeProxyToolCall, type ProxyToolCallOutcome, type ToolResultCache } from "../../../src/proxy-tools/execute-proxy-tool-call";
import { type ProxyTool, type ProxyToolOutput, textOutput } from "../../../src/proxy-tools/proxy-tool";

function tool(run: ProxyTool["run"], overrides: Partial<ProxyTool> = {}): ProxyTool {
  return {
    name: "mcp__t__x",
    description: "",
    inputSchema: {},
    idempotent: false,
    timeoutMs: 50,
    metricsLabel: "t/x",
    run,
    describeCall: () => ({ type: "text", text: "" }),
    describeResult: () => ({ type: "text", text: "" }),
    ...overrides,
  };
}

function recorder() {
  const outcomes: ProxyToolCallOutcome[] = [];
  const lookups: boolean[] = [];
  return {
    outcomes,
    lookups,
    observer: {
      onCall: (_t: ProxyTool, outcome: ProxyToolCallOutcome) => outcomes.push(outcome),
      onCacheLookup: (_t: ProxyTool, hit: boolean) => lookups.push(hit),
      onCacheError: () => {},
    },
  };
}

function memoryCache(): ToolResultCache & { entries: Map<string, ProxyToolOutput> } {
  const entries = new Map<string, ProxyToolOutput>();
  return {
    entries,
    get: async (t, input) => entries.get(`${t.name}:${JSON.stringify(input)}`),
    put: async (t, input, output) => void entries.set(`${t.name}:${JSON.stringify(input)}`, output),
  };
}

const signal = new AbortController().signal;

describe("executeProxyToolCall", () => {
  test("a tool that throws gives an error output naming it", async () => {
    const { outcomes, observer } = recorder();
    const output = await executeProxyToolCall(
      tool(async () => {
        throw new Error("boom");
      }),
      {},
      { signal, observer },
    );
    expect(output).toEqual(textOutput("Tool mcp__t__x failed: boom", true));
    expect(outcomes).toEqual(["error"]);
  });

  test("a tool deaf to its signal is cut at its timeout", async () => {
    const { outcomes, observer } = recorder();
    const output = await executeProxyToolCall(
      tool(() => new Promise(() => {})),
      {},
      { signal, observer },
    );
    expect(output).toEqual(textOutput("Tool mcp__t__x did not finish within 50 ms.", true));
    expect(outcomes).toEqual(["timeout"]);
  });

  test("an idempotent tool's good output is kept and served again; an error output is not kept", async () => {
    const cache = memoryCache();
    const { outcomes, lookups, observer } = recorder();
    let runs = 0;
    const counted = tool(async (input) => textOutput(`run ${++runs}`, (input as { fail?: boolean }).fail === true), { idempotent: true });
    expect(await executeProxyToolCall(counted, { a: 1 }, { signal, cache, observer })).toEqual(textOutput("run 1"));
    expect(await executeProxyToolCall(counted, { a: 1 }, { signal, cache, observer })).toEqual(textOutput("run 1"));
    await executeProxyToolCall(counted, { fail: true }, { signal, cache, observer });
    await executeProxyToolCall(counted, { fail: true }, { signal, cache, observer });
    expect(runs).toBe(3);
    expect(outcomes).toEqual(["ok", "cached", "error", "error"]);
    expect(lookups).toEqual([false, true, false, false]);
  });

  test("a tool not marked idempotent never meets the cache", async () => {
    const cache = memoryCache();
    const { lookups, observer } = recorder();
    await executeProxyToolCall(
      tool(async () => textOutput("x")),
      {},
      { signal, cache, observer },
    );
    expect(cache.entries.size).toBe(0);
    expect(lookups).toEqual([]);
  });

  test("a cache that fails is reported, and the call runs", async () => {
    const errors: unknown[] = [];
    const broken: ToolResultCache = {
      get: async () => {
        throw new Error("store down");
      },
      put: async () => {},
    };
    const observer = { onCall: () => {}, onCacheLookup: () => {}, onCacheError: (_t: ProxyTool, error: unknown) => errors.push(error) };
    const output = await executeProxyToolCall(
      tool(async () => textOutput("ran"), { idempotent: true }),
      {},
      { signal, cache: broken, observer },
    );
    expect(output).toEqual(textOutput("ran"));
    expect((errors[0] as Error).message).toBe("store down");
  });
});
