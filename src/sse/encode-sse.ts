/** Writing side of SSE: one Anthropic event per frame, `event:` line matching the payload's `type`. */

const encoder = new TextEncoder();

/**
 * @example
 * controller.enqueue(encodeSseFrame({ type: "message_stop" }));
 */
export function encodeSseFrame(payload: { type: string }): Uint8Array {
  return encoder.encode(formatSseFrame(payload));
}

export function formatSseFrame(payload: { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
