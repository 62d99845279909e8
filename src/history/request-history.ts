/**
 * The request history as the server holds it: the request path hands each finished request to
 * `record`, which only keeps it in memory and tells live listeners (the dashboard's event
 * stream); a timer writes what was kept, with what it adds to each period's totals, in one
 * transaction, and applies retention now and then.
 * The store is opened on the first write or read, so a server that answers nothing opens nothing.
 */
import type { RequestHistoryRepository } from "../store/request-history-repository";
import { type NewRequestHistoryRow, type PendingHistoryRow, type RequestBodies, withNullColumns } from "../store/request-history-row";
import { readRequestStats } from "./read-request-stats";
import type { RequestDetail, RequestRow, RequestStats } from "./request-stats-schema";
import { sumRowsByPeriod } from "./sum-rows-by-period";

export interface OpenedHistoryStore {
  repository: RequestHistoryRepository;
  close(): void;
}

export interface RequestHistoryOptions {
  /** Opens the store; resolves to undefined when it cannot be used (the opener says why). */
  open: () => Promise<OpenedHistoryStore | undefined>;
  /** After a failed open, the wait before the next write or read tries again; default 30 s. Rows are kept meanwhile. */
  reopenAfterMs?: number;
  flushIntervalMs: number;
  maxAgeMs: number;
  maxRows: number;
  now?: () => number;
  /**
   * The first write that failed in a run of them (its rows are kept for the next one), or rows
   * dropped because writes keep failing.
   */
  onError: (message: string, error?: unknown) => void;
  /** A write worked after failing ones. */
  onRecovered?: () => void;
}

/** Rows waiting beyond this are written at once rather than at the next tick of the timer. */
const FLUSH_AT_ROWS = 200;
/** Rows per transaction: a burst's write blocks the event loop a few milliseconds at a time at most. */
const WRITE_AT_MOST_ROWS = 200;
/** While writes fail, rows kept at most; older ones are dropped. */
const MAX_PENDING_ROWS = 20_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/** Rows deleted per retention step, so a first start after a long pause does not block the server. */
const PRUNE_CHUNK_ROWS = 5_000;

/**
 * @example
 * const history = new RequestHistory({ open, flushIntervalMs: 2000, maxAgeMs: 30 * 86_400_000, maxRows: 1_000_000, onError });
 * history.record({ at: Date.now(), requestId, clientModel: "claude-sonnet-4-5", status: 200, ... });
 * await history.readStats(3_600_000); // the last hour
 * await history.close(); // writes what is pending
 */
export class RequestHistory {
  readonly #options: RequestHistoryOptions;
  readonly #now: () => number;
  readonly #listeners = new Set<(row: RequestRow) => void>();
  readonly #timer: ReturnType<typeof setInterval>;
  #pending: PendingHistoryRow[] = [];
  #opening: Promise<OpenedHistoryStore | undefined> | undefined;
  #openFailedAt: number | undefined;
  /** One write at a time: a flush waits for the one before it. */
  #writing: Promise<void> = Promise.resolve();
  #flushSoon: ReturnType<typeof setImmediate> | undefined;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #closed = false;
  /** Writes failing since the last that worked: a full disk is reported once, not every interval. */
  #failing = false;
  /** Rows dropped since the last write that worked: reported once. */
  #dropping = false;

  constructor(options: RequestHistoryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.#timer.unref();
  }

  /**
   * On the request path: keeps the row (and its prompt and answer, when `history.storeBodies`
   * gave them) for the next write and hands the row to live listeners.
   */
  record(row: NewRequestHistoryRow, bodies?: RequestBodies): void {
    if (this.#closed) return;
    this.#pending.push(bodies ? { ...row, bodies } : row);
    if (this.#listeners.size > 0) {
      const live = toRequestRow(row);
      for (const listener of this.#listeners) listener(live);
    }
    if (this.#pending.length >= FLUSH_AT_ROWS) this.#flushSoon ??= setImmediate(() => void this.flush());
  }

  /** Called with every row recorded from now on; returns the function that stops it. */
  subscribe(listener: (row: RequestRow) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes what is pending; resolves once it is in the store (or kept for the next try). */
  flush(): Promise<void> {
    clearImmediate(this.#flushSoon);
    this.#flushSoon = undefined;
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  /** The summary of the window ending now, rows still pending included; undefined when the store cannot be used. */
  async readStats(windowMs: number): Promise<RequestStats | undefined> {
    await this.flush();
    const store = await this.#store();
    return store && readRequestStats(store.repository, { now: this.#now(), windowMs });
  }

  /** The newest rows first, below row `before` when given; undefined when the store cannot be used. */
  async listRequests(limit: number, before?: number): Promise<RequestRow[] | undefined> {
    await this.flush();
    return (await this.#store())?.repository.list(limit, before);
  }

  /** One row with its prompt and answer (null when not kept); undefined when there is none, or no store. */
  async readRequest(id: number): Promise<RequestDetail | undefined> {
    await this.flush();
    return (await this.#store())?.repository.get(id);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#listeners.clear();
    await this.flush();
    try {
      (await this.#opening)?.close();
    } catch (error) {
      // Closing checkpoints the WAL into the main file, which a full disk refuses; the WAL keeps the rows.
      this.#options.onError("could not checkpoint the request history on close; the next start replays it", error);
    }
  }

  async #write(): Promise<void> {
    if (this.#pending.length === 0) return;
    const store = await this.#store();
    if (!store) {
      // Not open yet (the opener said why): kept, within the limit, for when the data dir can be used.
      this.#dropBeyondLimit();
      return;
    }
    while (this.#pending.length > 0) {
      const rows = this.#pending.splice(0, WRITE_AT_MOST_ROWS);
      try {
        store.repository.insert(rows, sumRowsByPeriod(rows));
      } catch (error) {
        this.#pending = rows.concat(this.#pending);
        this.#dropBeyondLimit();
        if (!this.#failing) this.#options.onError("could not write the request history; rows are kept until it can", error);
        this.#failing = true;
        return;
      }
      if (this.#failing) this.#options.onRecovered?.();
      this.#failing = false;
      this.#dropping = false;
      // bun:sqlite blocks: between chunks, the answers in flight go on.
      if (this.#pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#prune(store.repository);
  }

  #prune(repository: RequestHistoryRepository): void {
    const now = this.#now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    try {
      const deleted = repository.deleteOld(now - this.#options.maxAgeMs, this.#options.maxRows, PRUNE_CHUNK_ROWS);
      // A full chunk: more to delete, at the next write.
      this.#prunedAt = deleted === PRUNE_CHUNK_ROWS ? Number.NEGATIVE_INFINITY : now;
    } catch (error) {
      this.#prunedAt = now;
      this.#options.onError("could not delete old request history; trying again later", error);
    }
  }

  #dropBeyondLimit(): void {
    const excess = this.#pending.length - MAX_PENDING_ROWS;
    if (excess <= 0) return;
    this.#pending.splice(0, excess);
    if (!this.#dropping)
      this.#options.onError(`the request history cannot be written; dropping the oldest rows beyond ${MAX_PENDING_ROWS}`);
    this.#dropping = true;
  }

  #store(): Promise<OpenedHistoryStore | undefined> {
    const now = this.#now();
    if (this.#openFailedAt !== undefined && now - this.#openFailedAt >= (this.#options.reopenAfterMs ?? 30_000)) {
      this.#openFailedAt = undefined;
      this.#opening = undefined;
    }
    this.#opening ??= this.#options.open().then((store) => {
      if (!store) this.#openFailedAt = this.#now();
      return store;
    });
    return this.#opening;
  }
}

/** What a live listener gets: the row as `/api/requests` shows it, without the id the store has not given it yet. */
function toRequestRow(row: NewRequestHistoryRow): RequestRow {
  return { id: null, ...withNullColumns(row) };
}
