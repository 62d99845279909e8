/**
 * Sends one fuzz case to a running proxy and judges the answer by the promise anyclaude makes
 * for any input: a complete 2xx answer, or a 4xx with exactly Anthropic's error body; never a
 * 5xx, never a hang (the client gives up after `timeoutMs`), never a broken stream.
 */
import type { FuzzCase } from "./fuzz-claude-code-request";

export interface FuzzVerdict {
  status: number;
  /** What broke the promise; undefined when the answer kept it. */
  problem?: string;
}

/**
 * The engine behind the proxy answers every request it gets, so a 2xx stream must end with
 * `message_stop` and carry no `event: error` frame.
 *
 * @example
 * const verdict = await sendFuzzCase(proxy.url, makeFuzzCase(bases, 7), 10_000);
 * if (verdict.problem) console.log(`seed 7: ${verdict.problem}`);
 */
export async function sendFuzzCase(proxyUrl: string, fuzzCase: FuzzCase, timeoutMs: number): Promise<FuzzVerdict> {
  let status = 0;
  let text: string;
  let contentType: string;
  try {
    const response = await fetch(`${proxyUrl}${fuzzCase.url}`, {
      method: "POST",
      headers: fuzzCase.headers,
      body: fuzzCase.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    contentType = response.headers.get("content-type") ?? "";
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    const what = name === "TimeoutError" ? `no complete answer within ${timeoutMs} ms` : `${name}: ${(error as Error).message}`;
    return { status, problem: `${what} (status ${status || "none"})` };
  }
  return { status, problem: judgeAnswer(status, contentType, text) };
}

function judgeAnswer(status: number, contentType: string, text: string): string | undefined {
  const shown = `status ${status}: ${text.slice(0, 300)}`;
  if (status >= 200 && status < 300) {
    if (contentType.startsWith("text/event-stream")) {
      if (text.includes("event: error")) return `a 2xx stream carried an error frame; ${shown}`;
      if (!text.includes("event: message_stop")) return `a 2xx stream ended without message_stop; ${shown}`;
      return undefined;
    }
    const body = parseJson(text) as { type?: unknown; input_tokens?: unknown } | undefined;
    if (body?.type === "message" || typeof body?.input_tokens === "number") return undefined;
    return `a 2xx answer that is neither a message nor a token count; ${shown}`;
  }
  if (status < 400 || status >= 500) return shown;
  const body = parseJson(text) as { type?: unknown; error?: { type?: unknown; message?: unknown } } | undefined;
  if (!contentType.startsWith("application/json")) return `a 4xx that is not JSON (${contentType}); ${shown}`;
  if (body?.type !== "error" || typeof body.error?.type !== "string" || typeof body.error.message !== "string") {
    return `a 4xx without Anthropic's error body; ${shown}`;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // judged by the caller as "not the expected body"
  }
}
