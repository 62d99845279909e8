/**
 * First layer of SSE reading: bytes to lines, handling \n, \r\n and \r, and chunks that split a
 * line or a UTF-8 sequence. Synchronous and incremental, so a stream costs one call per chunk
 * rather than one promise per line.
 */

export class LineDecoder {
  private readonly decoder = new TextDecoder();
  private pending = "";

  /**
   * @example
   * new LineDecoder().push(new TextEncoder().encode("a\r\nb\nc")); // ["a", "b"]; "c" waits
   */
  push(chunk: Uint8Array): string[] {
    this.pending += this.decoder.decode(chunk, { stream: true });
    return this.takeLines();
  }

  /** The last line, if the stream ended without a newline. */
  flush(): string[] {
    this.pending += this.decoder.decode();
    const lines = this.takeLines();
    let rest = this.pending;
    this.pending = "";
    if (rest.endsWith("\r")) rest = rest.slice(0, -1);
    if (rest.length > 0) lines.push(rest);
    return lines;
  }

  private takeLines(): string[] {
    const text = this.pending;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      // A \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (ch === 13 && i === text.length - 1) break;
      lines.push(text.slice(start, i));
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.pending = start === 0 ? text : text.slice(start);
    return lines;
  }
}
