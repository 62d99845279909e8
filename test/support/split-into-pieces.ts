/** Cuts text into the pieces a streaming engine would emit, so fakes can stream realistic deltas. */
import { seededRandom } from "./seeded-random";

/**
 * Near-equal pieces by code point (never splitting a surrogate pair); fewer when the text is short,
 * none when it is empty.
 *
 * @example
 * splitIntoPieces("Running it.", 2) // ["Runni", "ng it."]
 */
export function splitIntoPieces(text: string, pieces: number): string[] {
  const points = Array.from(text);
  const count = Math.max(1, Math.min(Math.floor(pieces), points.length));
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const piece = points.slice(Math.floor((i * points.length) / count), Math.floor(((i + 1) * points.length) / count)).join("");
    if (piece !== "") result.push(piece);
  }
  return result;
}

/**
 * Pieces of 1 to `maxSize` code points, cut at random with a fixed seed: a stream's tokens, as
 * an engine might send them.
 *
 * @example
 * splitAtRandom("Running it.", 1, 4) // e.g. ["Run", "n", "ing ", "it."]
 */
export function splitAtRandom(text: string, seed: number, maxSize: number): string[] {
  const random = seededRandom(seed);
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    pieces.push(points.slice(i, i + size).join(""));
    i += size;
  }
  return pieces;
}
