/** Request ids in Anthropic's style (`req_` + 24 hex); the message id of an answer shares the random part. */

export function createRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_${Buffer.from(bytes).toString("hex")}`;
}

export function toMessageId(requestId: string): string {
  return `msg_${requestId.slice(4)}`;
}

/**
 * The id a route gave the request (messages-routes.ts derives one), for the app's error handler;
 * undefined when the request failed before reaching such a route.
 *
 * @example
 * const requestId = readRequestId(context) ?? createRequestId();
 */
export function readRequestId(context: object): string | undefined {
  return "requestId" in context && typeof context.requestId === "string" ? context.requestId : undefined;
}
