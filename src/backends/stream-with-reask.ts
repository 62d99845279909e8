/**
 * The one re-ask for a streamed answer whose tool call failed its schema, in either backend
 * mode: the first answer's text flows, its invalid calls are held by the converter, and once the
 * answer is over the model is asked again; the second answer continues the same message, so the
 * client never sees the failed call (docs/decisions/0021-tool-call-checks.md).
 */
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { TranslationWarning } from "../translate/translation-warning";
import type { CallOptions } from "./backend";
import { type HeldToolCalls, reportReask, reportReaskFailure } from "./complete-with-reask";

/** What turns one mode's engine answers into one Anthropic message: OpenAIChatStreamConverter, NativeToolCallFilter. */
export interface ReaskingConverter {
  /** Decides the text still held and checks the last call; after it, `invalidCalls` says whether a re-ask is due. */
  endAnswer(): MessageStreamEvent[];
  invalidCalls(): HeldToolCalls;
  /** The re-ask's answer follows: the held calls are given up, and calls are no longer held. */
  resumeAfterReask(): void;
  /** Ends the message (held calls nobody re-asked go out as they are): message_delta, message_stop. */
  finish(): MessageStreamEvent[];
  drainWarnings(): TranslationWarning[];
}

/** Reads one engine answer through the converter; returns the last batch, so the end of the message can go out with it. */
type AnswerReader = AsyncGenerator<MessageStreamEvent[], MessageStreamEvent[]>;

/**
 * @example
 * const events = streamWithReask(converter, readAnswer(started), async (held) => readAnswer(await post(buildReaskRequest(request, held))), options);
 */
export async function* streamWithReask(
  converter: ReaskingConverter,
  first: AnswerReader,
  reask: (held: HeldToolCalls) => Promise<AnswerReader>,
  options: CallOptions,
): AsyncGenerator<MessageStreamEvent[]> {
  let last = yield* first;
  last.push(...converter.endAnswer());
  const held = converter.invalidCalls();
  if (held.calls.length > 0) {
    reportReask(held.calls, options);
    if (last.length > 0) yield last;
    last = [];
    try {
      const again = await reask(held);
      converter.resumeAfterReask();
      last = yield* again;
    } catch (error) {
      // Once the second answer has begun, its failure is the stream's; before, the held calls go out as they are.
      if (options.signal.aborted || converter.invalidCalls().calls.length === 0) throw error;
      reportReaskFailure(error, options);
    }
  }
  last.push(...converter.finish());
  converter.drainWarnings().forEach(options.onWarning);
  if (last.length > 0) yield last;
}
