/**
 * Reads one streamed chat completion through an OpenAIChatStreamConverter: every chunk checked
 * against the runtime schema, the events yielded in batches (one per piece of the engine's body),
 * and the batch of the chunk that brought `[DONE]` returned rather than yielded, so the end of the
 * message can go out with it.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { checkChatCompletionChunk } from "../protocol/openai/chat-response-schema";
import type { OpenAIChatStreamConverter } from "../translate/openai-chat-stream-converter";
import type { TranslationWarning } from "../translate/translation-warning";
import type { BackendSettings } from "./backend-settings";
import type { BackendResponse } from "./fetch-backend";
import { parseBackendJson } from "./parse-backend-json";
import { convertInStreamError } from "./read-backend-error";
import { readBackendEvents } from "./read-backend-events";

/**
 * @example
 * const last = yield* readChatCompletionStream(settings, started, converter, options.onWarning);
 */
export async function* readChatCompletionStream(
  settings: BackendSettings,
  started: BackendResponse,
  converter: OpenAIChatStreamConverter,
  onWarning: (warning: TranslationWarning) => void,
): AsyncGenerator<MessageStreamEvent[], MessageStreamEvent[]> {
  const backendId = settings.id;
  let complete = false;
  for await (const frames of readBackendEvents(backendId, started, settings.timeouts)) {
    const batch: MessageStreamEvent[] = [];
    let done = false;
    try {
      for (const frame of frames) {
        if (frame.data === "[DONE]") {
          done = complete = true;
          break;
        }
        const chunk = parseBackendJson(backendId, frame.data, "stream chunk");
        if (isErrorObject(chunk)) throw convertInStreamError(backendId, chunk.error);
        if (!checkChatCompletionChunk.Check(chunk)) {
          const first = checkChatCompletionChunk.Errors(chunk).First();
          throw new BackendProtocolError(backendId, first ? `${first.path || "/"}: ${first.message}` : "unexpected shape");
        }
        if (chunk.choices.some((choice) => choice.finish_reason)) complete = true;
        batch.push(...converter.push(chunk));
        converter.drainWarnings().forEach(onWarning);
      }
    } catch (error) {
      // What the chunk brought before the failure still reaches the client, then the error frame.
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (done) return batch;
    if (batch.length > 0) yield batch;
  }
  // A body that closes cleanly but early (engine killed, proxy in between) must not pass for a whole answer.
  if (!complete) throw new BackendProtocolError(backendId, "the stream ended before the answer did (no finish_reason, no [DONE])");
  return [];
}

export function isErrorObject(value: unknown): value is { error: unknown } {
  return typeof value === "object" && value !== null && "error" in value && !("choices" in value);
}
