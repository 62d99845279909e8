/**
 * A full garbage collection every N requests. JavaScriptCore's frequent young-generation
 * collections promote whatever a request in flight holds at that moment (its body, its parsed
 * and converted parts), and only a full collection frees those once they die; under steady load
 * JSC postpones full collections while the heap grows, so the process's memory climbs for
 * minutes. One full collection every few thousand requests keeps it flat; its pause (a few
 * milliseconds) falls on the requests in flight at that moment, which is why it is off unless
 * `server.fullGcEveryRequests` asks for it: at 16 requests at a time it showed in the p99.
 */

export class FullGcSchedule {
  private sinceLast = 0;
  private pending = false;

  /** `every`: requests between two collections; 0 turns it off. */
  constructor(
    private readonly every: number,
    private readonly collect: () => void = () => Bun.gc(true),
  ) {}

  /**
   * Counts a finished request; the collection itself runs on a later turn of the event loop,
   * after the answer that crossed the mark has been written.
   *
   * @example
   * schedule.noteRequest();
   */
  noteRequest(): void {
    if (this.every === 0 || ++this.sinceLast < this.every || this.pending) return;
    this.sinceLast = 0;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.collect();
    });
  }
}
