/**
 * The prompt and the answer of a request for its history row, only when the user turned
 * `history.storeBodies` on: the request as the client sent it and the answer as it went out,
 * as JSON, cut to `history.maxBodyBytes`. Off (the default), nothing is serialized at all.
 */
import type { Config } from "../config/config-schema";
import { capRequestBodies } from "../history/cap-request-bodies";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";
import type { RequestBodies } from "../store/request-history-row";

/**
 * @example
 * services.history?.record(row, captureRequestBodies(services.config.history, request, message));
 */
export function captureRequestBodies(
  settings: Pick<Config["history"], "storeBodies" | "maxBodyBytes">,
  request: MessageCreateParams,
  answer: Message | undefined,
): RequestBodies | undefined {
  if (!settings.storeBodies) return undefined;
  return capRequestBodies(JSON.stringify(request), answer === undefined ? "" : JSON.stringify(answer), settings.maxBodyBytes);
}
