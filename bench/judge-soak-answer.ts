/**
 * Reads what the proxy answered to one soak request (JSON or SSE, to the last byte) and says
 * whether it is the correct answer for its scenario (bench/soak-scenarios.ts says which is).
 */
import { SseDecoder } from "../src/sse/sse-decoder";
import type { SoakRequest } from "./soak-scenarios";

/** answer: a whole message; error: an explicit Anthropic error; broken: anything else. */
export type SoakOutcome = "answer" | "error" | "broken";

export interface SoakVerdict {
  outcome: SoakOutcome;
  correct: boolean;
  /** Why it is not correct, for the first few printed. */
  detail?: string;
}

interface ReadAnswer {
  outcome: SoakOutcome;
  /** What a whole message said: its text, or the command of its Bash call. */
  said?: string;
  stopReason?: string;
  errorType?: string;
  detail?: string;
}

/**
 * @example
 * const verdict = await judgeSoakAnswer(request, await fetch(url, init));
 * if (!verdict.correct) console.log(verdict.detail);
 */
export async function judgeSoakAnswer(request: SoakRequest, response: Response): Promise<SoakVerdict> {
  const read = await readAnswer(response);
  const { kind, name } = request.scenario;
  const expected = `echo ${request.id}`;
  const expectedStop = name === "tool" ? "tool_use" : "end_turn";
  let correct: boolean;
  if (kind === "bad") correct = read.outcome === "error" && response.status === 400 && read.errorType === "invalid_request_error";
  else if (kind === "fault") {
    correct = read.outcome === "error" && (name !== "429" || response.status !== 429 || response.headers.get("retry-after") !== null);
  } else correct = read.outcome === "answer" && read.said === expected && read.stopReason === expectedStop;
  const detail = correct
    ? undefined
    : `${name} ${request.id} ${request.stream ? "stream" : "json"}: status ${response.status}, ${read.outcome}` +
      `${read.said === undefined ? "" : `, said ${JSON.stringify(read.said)} (${read.stopReason})`}` +
      `${read.errorType ? `, ${read.errorType}` : ""}${read.detail ? `, ${read.detail}` : ""}`;
  return { outcome: read.outcome, correct, detail };
}

async function readAnswer(response: Response): Promise<ReadAnswer> {
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status >= 400) {
    const body = (await response.json().catch(() => undefined)) as
      | { type?: string; error?: { type?: string; message?: string } }
      | undefined;
    if (body?.type === "error" && typeof body.error?.type === "string" && typeof body.error.message === "string") {
      return { outcome: "error", errorType: body.error.type };
    }
    return { outcome: "broken", detail: "an error status without Anthropic's error body" };
  }
  if (response.status !== 200) return { outcome: "broken", detail: `status ${response.status}` };
  if (contentType.startsWith("application/json")) {
    const message = (await response.json()) as {
      type?: string;
      stop_reason?: string;
      content?: Array<{ type: string; text?: string; input?: { command?: string } }>;
    };
    if (message.type !== "message") return { outcome: "broken", detail: "a 200 that is not a message" };
    return { outcome: "answer", said: describeContent(message.content ?? []), stopReason: message.stop_reason };
  }
  if (!contentType.startsWith("text/event-stream")) return { outcome: "broken", detail: `content-type ${contentType}` };
  return readStream(response.body!);
}

/** A stream is an answer when it reaches message_stop, an error when it ends with one error event instead. */
async function readStream(body: ReadableStream<Uint8Array>): Promise<ReadAnswer> {
  const decoder = new SseDecoder();
  let text = "";
  let toolInput = "";
  let stopReason: string | undefined;
  const seen: string[] = [];
  let errorType: string | undefined;
  const take = (event: string, data: string) => {
    if (event === "ping") return;
    seen.push(event);
    const parsed = JSON.parse(data) as {
      delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
      error?: { type?: string };
    };
    if (event === "content_block_delta" && parsed.delta?.type === "text_delta") text += parsed.delta.text ?? "";
    if (event === "content_block_delta" && parsed.delta?.type === "input_json_delta") toolInput += parsed.delta.partial_json ?? "";
    if (event === "message_delta") stopReason = parsed.delta?.stop_reason;
    if (event === "error") errorType = parsed.error?.type;
  };
  for await (const chunk of body) for (const { event, data } of decoder.push(chunk)) take(event ?? "message", data);
  for (const { event, data } of decoder.flush()) take(event ?? "message", data);
  const last = seen.at(-1);
  if (last === "error" && !seen.includes("message_stop") && seen.filter((event) => event === "error").length === 1) {
    return { outcome: "error", errorType };
  }
  if (last !== "message_stop" || seen.includes("error")) return { outcome: "broken", detail: `stream events ${seen.slice(-4).join(",")}` };
  const said = toolInput ? (JSON.parse(toolInput) as { command?: string }).command : text;
  return { outcome: "answer", said, stopReason };
}

function describeContent(content: Array<{ type: string; text?: string; input?: { command?: string } }>): string {
  const tool = content.find((block) => block.type === "tool_use");
  if (tool) return tool.input?.command ?? "";
  return content.map((block) => block.text ?? "").join("");
}
