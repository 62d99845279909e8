/** Request ids in Anthropic's style (`req_` + 24 hex); the message id of an answer shares the random part. */

export function createRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `req_${Buffer.from(bytes).toString("hex")}`;
}

export function toMessageId(requestId: string): string {
  return `msg_${requestId.slice(4)}`;
}
