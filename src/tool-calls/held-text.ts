/**
 * Text held back while a call written as text is read, kept as the pieces it arrived in: a
 * growing string would be copied whole every time a reader looks at its newest part (JavaScript
 * engines join concatenated strings on first read), which made a long call cost time in
 * proportion to its square.
 */

/**
 * @example
 * const held = new HeldText();
 * held.push('{"a":');
 * held.push("1}");
 * held.slice(4); // ":1}"
 */
export class HeldText {
  private pieces: string[] = [];
  /** Where each piece starts. */
  private starts: number[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(piece: string): void {
    if (piece === "") return;
    this.pieces.push(piece);
    this.starts.push(this.total);
    this.total += piece.length;
  }

  /** Characters `from` to `to` (default: the end); only the pieces in that range are joined. */
  slice(from: number, to = this.total): string {
    const end = Math.min(to, this.total);
    if (from >= end) return "";
    let first = this.pieces.length - 1;
    while (first > 0 && this.starts[first]! > from) first--;
    let text = "";
    for (let i = first; i < this.pieces.length && this.starts[i]! < end; i++) {
      const start = this.starts[i]!;
      const piece = this.pieces[i]!;
      text += start >= from && start + piece.length <= end ? piece : piece.slice(Math.max(0, from - start), end - start);
    }
    return text;
  }

  /** Removes the first `length` characters and returns them. */
  take(length: number): string {
    const taken = this.slice(0, length);
    const rest = this.slice(length);
    this.pieces = [];
    this.starts = [];
    this.total = 0;
    this.push(rest);
    return taken;
  }
}
