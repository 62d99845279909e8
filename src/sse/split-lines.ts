/** First layer of SSE reading: bytes to lines, handling \n, \r\n and \r, and chunks that split a line or a UTF-8 sequence. */

/**
 * @example
 * for await (const line of splitLines(response.body!)) console.log(line);
 */
export async function* splitLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const ch = pending.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      // A \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (ch === 13 && i === pending.length - 1) break;
      yield pending.slice(start, i);
      if (ch === 13 && pending.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.endsWith("\r")) pending = pending.slice(0, -1);
  if (pending.length > 0) yield pending;
}
