/**
 * Reads one answer an engine streams in Anthropic's own events: every event checked against the
 * runtime schema, the client's model name restored, each event passed through `convert` (native
 * mode's tool-call filter, or nothing), and the events yielded in batches, one per piece of the
 * engine's body; the batch that brought message_stop is returned, so the end of the message can
 * go out with it.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import { checkStreamEvent } from "../protocol/anthropic/response-schema";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { CallOptions } from "./backend";
import type { BackendSettings } from "./backend-settings";
import type { BackendResponse } from "./fetch-backend";
import { parseBackendJson } from "./parse-backend-json";
import { convertInStreamError } from "./read-backend-error";
import { readBackendEvents } from "./read-backend-events";

/**
 * @example
 * const last = yield* readNativeAnswer(backend.id, started, settings.timeouts, options, (event) => [event]);
 */
export async function* readNativeAnswer(
  backendId: string,
  started: BackendResponse,
  timeouts: BackendSettings["timeouts"],
  options: Pick<CallOptions, "clientModel">,
  convert: (event: MessageStreamEvent) => MessageStreamEvent[],
): AsyncGenerator<MessageStreamEvent[], MessageStreamEvent[]> {
  for await (const frames of readBackendEvents(backendId, started, timeouts)) {
    const batch: MessageStreamEvent[] = [];
    let stopped = false;
    try {
      for (const frame of frames) {
        const event = parseBackendJson(backendId, frame.data, "stream event");
        if (frame.event === "error" || (event as { type?: unknown }).type === "error") {
          throw convertInStreamError(backendId, (event as { error?: unknown }).error ?? event);
        }
        if (!checkStreamEvent.Check(event)) {
          const first = checkStreamEvent.Errors(event).First();
          throw new BackendProtocolError(backendId, `event ${frame.event ?? "?"}: ${first?.path || "/"} ${first?.message ?? ""}`);
        }
        const typed = event as MessageStreamEvent;
        if (typed.type === "message_start") typed.message.model = options.clientModel;
        if (typed.type === "content_block_start" && typed.content_block.type === "tool_use") typed.content_block.input ??= {};
        batch.push(...convert(typed));
        if (typed.type === "message_stop") {
          stopped = true;
          break;
        }
      }
    } catch (error) {
      // What the chunk brought before the failure still reaches the client, then the error frame.
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (stopped) return batch;
    if (batch.length > 0) yield batch;
  }
  // A body that closes cleanly but early (engine killed, proxy in between) must not pass for a whole answer.
  throw new BackendProtocolError(backendId, "the stream ended before message_stop");
}
