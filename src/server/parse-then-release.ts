/** A request body's bytes freed as soon as they are parsed, rather than at the next collection. */

/**
 * Parses a buffer only this request holds, then frees its bytes at once (detaching it), parsed
 * or not: what the parse returns holds copies. Left to the collector, Claude Code's 49 KB bodies
 * pile up between collections, about 8 MB of the proxy's memory under load.
 *
 * @example
 * const body = parseThenRelease(await request.arrayBuffer(), (bytes) => JSON.parse(decoder.decode(bytes)));
 */
export function parseThenRelease(buffer: ArrayBuffer, parse: (bytes: Uint8Array) => unknown): unknown {
  try {
    return parse(new Uint8Array(buffer));
  } finally {
    buffer.transfer(0);
  }
}
