/**
 * A request history row as the request path makes it and the store reads it back. Apart from
 * the repository, so the server can hold rows without loading drizzle before its first write.
 */
import type { requestBodies, requestHistory } from "./schema";

export type RequestHistoryRow = typeof requestHistory.$inferSelect;
export type NewRequestHistoryRow = Omit<typeof requestHistory.$inferInsert, "id">;

/** A row's prompt and answer, kept only with `history.storeBodies` on. */
export type RequestBodies = Omit<typeof requestBodies.$inferSelect, "historyId">;

/** A row on its way to the store, with its prompt and answer when they are kept. */
export type PendingHistoryRow = NewRequestHistoryRow & { bodies?: RequestBodies };

/**
 * The row with every column it leaves out set to NULL, as the store would read it back.
 *
 * @example
 * withNullColumns({ at, requestId, clientModel, ... }).errorType; // null
 */
export function withNullColumns(row: NewRequestHistoryRow): Required<NewRequestHistoryRow> {
  return {
    route: null,
    backend: null,
    targetModel: null,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    cache: null,
    errorType: null,
    clientKey: null,
    contextUtilization: null,
    tokensTrimmed: null,
    promptTokensSaved: null,
    toolCalls: null,
    searchCalls: null,
    ...row,
  };
}
