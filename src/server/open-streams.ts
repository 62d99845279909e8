/**
 * The SSE answers still being written, so that a shutdown whose drain runs out can end each one
 * properly (one `event: error` frame, then the end of the body) instead of cutting the
 * connection: a client then sees an Anthropic error it knows to retry, not a network failure.
 */
import type { ProxyError } from "../errors/proxy-error";

export type CloseStream = (error: ProxyError) => void;

export class OpenStreams {
  private readonly closers = new Set<CloseStream>();

  /**
   * @example
   * const forget = streams.add((error) => endWithErrorFrame(error));
   * // … when the stream ends on its own:
   * forget();
   */
  add(close: CloseStream): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Ends every open stream with `error`; returns how many there were. */
  closeAll(error: ProxyError): number {
    const open = [...this.closers];
    for (const close of open) close(error);
    return open.length;
  }
}
