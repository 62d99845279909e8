/**
 * The semantic cache end to end: the real ONNX session on the generated stand-in model, the
 * real HNSW index beside a real SQLite file. Claude Code's session-title side call is cached
 * by meaning: a near paraphrase of the session hits; another session, a looser rewording, a
 * different context miss. Requests with tools are not looked up by meaning unless configured.
 * A damaged index file is rebuilt from the store at the next load.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SEMANTIC_INDEX_FILE_NAME } from "../../src/cache/load-semantic-index";
import type { MessageCreateParams, TextBlockParam } from "../../src/protocol/anthropic/messages";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicJson, anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../support/fake-anthropic-events";
import { writeMiniLMStandin } from "../support/generate-minilm-standin";
import type { StartedProxy } from "../support/start-proxy";
import {
  BASE_REQUEST,
  type CachingProxyOptions,
  makeScratchDir,
  postAndRead,
  readStats,
  removeScratch,
  startCachingProxy,
} from "./cache-test-kit";

const SESSION = "Please write a haiku about proxies and say hi";
const title = readClaudeCodeRequests().find((request) => request.name === "cc-2.1.332_interactive-title_structured-output")!;

/** The recorded title request with another session in its `<session>` block. */
function titleRequest(session: string, changeContext?: (body: MessageCreateParams) => void): MessageCreateParams {
  const body = structuredClone(title.body);
  const block = (body.messages[0]!.content as TextBlockParam[])[0]!;
  expect(block.text).toContain(SESSION);
  block.text = block.text.replace(SESSION, session);
  changeContext?.(body);
  return body;
}

const dir = makeScratchDir("cache-semantic");
const modelPath = writeMiniLMStandin(join(dir, "minilm-standin.onnx"));
/** Every answer names its backend call, so a test can tell which stored answer came back. */
const backend = startFakeAnthropicBackend((request, index) => {
  const message = { blocks: [{ type: "text" as const, text: `{"title":"Answer ${index}"}` }] };
  return (request.body as { stream?: boolean }).stream
    ? anthropicStream(anthropicMessageEvents(message))
    : anthropicJson(anthropicMessageBody(message));
});
const proxies: StartedProxy[] = [];
let proxy: StartedProxy;

function start(options: Partial<CachingProxyOptions> = {}, dataDir = dir) {
  return startCachingProxy({ url: backend.url, kind: "anthropic", mode: "native" }, { dataDir, modelPath, ...options }).then((started) => {
    proxies.push(started);
    return started;
  });
}

/** Sends and reads a title request; returns the cache header and the title text the client got. */
async function ask(target: StartedProxy, body: unknown) {
  const reply = await postAndRead(target, body);
  const text = reply.text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)))
    .flatMap((event) => (event.delta?.type === "text_delta" ? [event.delta.text as string] : []))
    .join("");
  return { cache: reply.cache, text: text || (reply.text.startsWith("{") ? JSON.parse(reply.text).content[0].text : "") };
}

beforeAll(async () => {
  proxy = await start();
});

afterAll(async () => {
  for (const started of proxies) await started.stop();
  await backend.stop();
  removeScratch(dir);
});

describe("Claude Code's session-title side call", () => {
  test("the first request loads the model in the background and is stored; a near paraphrase is then a semantic hit", async () => {
    const first = await ask(proxy, titleRequest(SESSION));
    expect((await readStats(proxy)).semantic).toEqual({ entries: 1, loaded: true });
    const calls = backend.requestsTo("/v1/messages").length;
    const paraphrase = await ask(proxy, titleRequest("Please write a haiku about proxies and then say hi"));
    expect([first.cache, paraphrase.cache]).toEqual(["miss", "semantic"]);
    expect(paraphrase.text).toBe(first.text);
    expect(backend.requestsTo("/v1/messages").length).toBe(calls);
  });

  test("another session in the same template misses, although the shared instructions make the whole texts close", async () => {
    // Whole title prompts score 0.97 against the first with the stand-in; the sessions alone 0.71 and 0.78.
    const outcomes = [
      (await ask(proxy, titleRequest("Write a poem about caches"))).cache,
      (await ask(proxy, titleRequest("Please write a limerick about compilers and say bye"))).cache,
      (await ask(proxy, titleRequest("Fix the failing test in the parser module"))).cache,
    ];
    expect(outcomes).toEqual(["miss", "miss", "miss"]);
  });

  test("a looser rewording below the threshold misses", async () => {
    const looser = await ask(proxy, titleRequest("Write a haiku on proxies and say hello"));
    expect(looser.cache).toBe("miss");
  });

  test("the same session in a different context (system prompt, output schema) misses", async () => {
    const otherSystem = await ask(
      proxy,
      titleRequest(SESSION, (body) => (body.system as TextBlockParam[]).push({ type: "text", text: "Use French." })),
    );
    const otherSchema = await ask(
      proxy,
      titleRequest(SESSION, (body) => {
        body.output_config!.format!.schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
      }),
    );
    expect([otherSystem.cache, otherSchema.cache]).toEqual(["miss", "miss"]);
  });
});

describe("which requests are looked up by meaning", () => {
  const withTools = (content: string) => ({
    ...BASE_REQUEST,
    tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
    messages: [{ role: "user", content }],
  });
  const plain = (content: string) => ({ ...BASE_REQUEST, messages: [{ role: "user", content }] });

  test("by default, neither requests with tools nor plain requests are: a paraphrase misses and nothing is added", async () => {
    const entries = (await readStats(proxy)).semantic!.entries;
    const outcomes = [
      (await ask(proxy, withTools("list the files here"))).cache,
      (await ask(proxy, withTools("list the files here please"))).cache,
      (await ask(proxy, plain("name three colours"))).cache,
      (await ask(proxy, plain("name three colours please"))).cache,
    ];
    expect(outcomes).toEqual(["miss", "miss", "miss", "miss"]);
    expect((await readStats(proxy)).semantic!.entries).toBe(entries);
  });

  test("with cache.semantic.withTools and plainRequests on, they are", async () => {
    const scratch = makeScratchDir("cache-semantic-tools");
    try {
      const configured = await start({ cache: { semantic: { withTools: true, plainRequests: true } } }, scratch);
      await ask(configured, withTools("please list every file in this directory and show the size of each one"));
      await ask(configured, plain("name the three primary colours of the rainbow in order"));
      expect((await ask(configured, withTools("Please list every file in this directory and show the size of each one."))).cache).toBe(
        "semantic",
      );
      expect((await ask(configured, plain("Name the three primary colours of the rainbow, in order."))).cache).toBe("semantic");
    } finally {
      await proxies.pop()!.stop();
      removeScratch(scratch);
    }
  });
});

test("a damaged index file is rebuilt from the store when the model next loads, and its entries still hit", async () => {
  const before = await ask(proxy, titleRequest("Explain the retry policy of the router"));
  await proxies.shift()!.stop(); // saves the index
  const indexPath = join(dir, SEMANTIC_INDEX_FILE_NAME);
  const bytes = readFileSync(indexPath);
  bytes.fill(0x13, 64, 256);
  writeFileSync(indexPath, bytes);

  const restarted = await start();
  const loading = await ask(restarted, titleRequest("Summarize the changelog for version two"));
  expect(loading.cache).toBe("miss");
  const rebuilt = restarted.logs.find((record) => /semantic index rebuilt from the store \(damaged\)/.test(record.msg));
  expect(rebuilt?.level).toBe("warn");
  expect(rebuilt?.added as number).toBeGreaterThanOrEqual(4);
  const paraphrase = await ask(restarted, titleRequest("Explain the retry policy of the router."));
  expect(paraphrase).toEqual({ cache: "semantic", text: before.text });
});
