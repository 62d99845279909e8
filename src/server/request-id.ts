/** Request ids in Anthropic's style (`req_` + 24 hex); the message id of an answer shares the random part. */

export function createRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_${Buffer.from(bytes).toString("hex")}`;
}

export function toMessageId(requestId: string): string {
  return `msg_${requestId.slice(4)}`;
}

/**
 * The id each request that reached a route was given, so that the app's error handler answers a
 * failure under the same id; forgotten with the request.
 *
 * @example
 * const requestId = requestIds.assign(request); // in the route
 * requestIds.of(request) ?? createRequestId(); // in the error handler
 */
export class RequestIds {
  private readonly ids = new WeakMap<Request, string>();

  assign(request: Request): string {
    const id = createRequestId();
    this.ids.set(request, id);
    return id;
  }

  of(request: Request): string | undefined {
    return this.ids.get(request);
  }
}
