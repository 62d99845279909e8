/** Cuts text into the pieces a streaming engine would emit, so fakes can stream realistic deltas. */

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
