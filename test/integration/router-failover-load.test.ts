/**
 * Two backends, 200 concurrent Claude Code requests (the recorded bodies, headers and URLs),
 * and one backend killed mid-run: every request must succeed, because every one that was on the
 * dead backend had not sent its first byte yet and is retried or sent to the other one.
 */
import { afterEach, expect, test } from "bun:test";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import type { RecordedRequest } from "../support/fake-backend-server";
import { llamaServerChunks } from "../support/fake-openai-chunks";
import { formatSseItem } from "../support/fake-reply";
import { readFrames } from "./proxy-test-client";
import { backendFor, chatRequests, routing, startEngine, startRouter, stopAll, streamedText, waitFor } from "./router-test-kit";

afterEach(stopAll);

const REQUESTS = 200;
/** Prompt evaluation before the first byte: the window in which the kill catches requests. */
const THINK_MS = 40;

/**
 * The whole answer in one write after the pause, so the kill finds each request either before
 * its first byte (the router's to save) or already answered, never half-way.
 */
function answerInOneWrite(text: string) {
  const whole = [
    ...llamaServerChunks({ text, usage: { promptTokens: 900, completionTokens: 2 } }).map((data) => formatSseItem({ data })),
    "data: [DONE]\n\n",
  ].join("");
  return (_request: RecordedRequest) => ({ type: "sse" as const, items: [{ pauseMs: THINK_MS }, whole] });
}

test(`${REQUESTS} concurrent Claude Code requests, one of two backends killed mid-run: 100 % succeed`, async () => {
  const recorded = readClaudeCodeRequests().filter((request) => !request.url.includes("count_tokens"));
  const a = startEngine(answerInOneWrite("from a"));
  const b = startEngine(answerInOneWrite("from b"));
  // Deadlines a busy 2-core machine never hits: only the kill may fail a request here.
  const timeouts = { firstByteMs: 20_000, idleMs: 20_000, totalMs: 60_000 };
  const proxy = await startRouter([backendFor("a", a.url, { timeouts }), backendFor("b", b.url, { timeouts })], {
    pair: { strategy: "least-busy" },
    retry: { maxAttempts: 3, baseMs: 20, maxMs: 200, retryAfterCapMs: 2_000, deadlineMs: 60_000 },
    // Asking each engine first how its model calls tools would hold every request until the answer,
    // then send them all at once; the kill must find requests at every stage.
    tools: { calling: "native" },
  });

  const results = Array.from({ length: REQUESTS }, async (_, index) => {
    const { url, headers, body } = recorded[index % recorded.length]!;
    const response = await fetch(`${proxy.url}${url}`, { method: "POST", headers, body: JSON.stringify(body) });
    const frames = response.status === 200 ? await readFrames(response) : [];
    return { status: response.status, ...routing(response), frames };
  });
  await waitFor(() => chatRequests(a).length >= REQUESTS / 5);
  await a.stop();
  const outcomes = await Promise.all(results);

  expect(outcomes.filter((outcome) => outcome.status !== 200).map((outcome) => outcome.status)).toEqual([]);
  for (const outcome of outcomes) {
    expect(outcome.frames.filter((frame) => frame.event === "error")).toEqual([]);
    expect(outcome.frames.at(-1)?.event).toBe("message_stop");
    expect(streamedText(outcome.frames)).toBe(`from ${outcome.backend}`);
  }
  // Some requests were on a when it died and were saved by a retry or the fallback.
  expect(outcomes.filter((outcome) => outcome.attempts > 1).length).toBeGreaterThan(0);
  expect(outcomes.filter((outcome) => outcome.backend === "a").length).toBeGreaterThan(0);
  expect(outcomes.filter((outcome) => outcome.backend === "b").length).toBeGreaterThan(REQUESTS / 2);
});
