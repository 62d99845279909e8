/**
 * What anyclaude remembers from one request to the next. Claude Code resends the whole
 * conversation every turn; the parser hands the resent parts back as the same frozen values,
 * and each step that derives something from them (validation, conversion, token estimate,
 * cache and affinity keys, the backend body's bytes) asks this memo first. The server creates
 * one and passes it down; a step given none computes afresh. Decision 0011 says what is kept.
 */
import { deepFreeze } from "./deep-freeze";
import { RecentRuns, type Run } from "./recent-runs";
import { ReusingJsonParser, type ReusingJsonParserOptions } from "./reusing-json-parser";

const WRITE_BUFFER_LIMIT = 1024 * 1024;

interface Remembered {
  context: unknown;
  result: unknown;
}

export class ConversationMemo {
  /** Reads request bodies: the resent parts come back as the frozen values remembered last time. */
  readonly parser: ReusingJsonParser;
  /** Per step (its function), the last result for each frozen value. */
  private readonly results = new Map<unknown, WeakMap<object, Remembered>>();
  /** Per step, what it kept of the last few conversations it walked (see findRun). */
  private readonly runs = new Map<unknown, RecentRuns<Run>>();
  /** See writeBuffer. */
  private buffer = Buffer.allocUnsafe(0);

  /**
   * @example
   * const memo = new ConversationMemo({ maxDepth: 1_000 });
   */
  constructor(parserOptions: Partial<ReusingJsonParserOptions> = {}) {
    this.parser = new ReusingJsonParser(parserOptions);
  }

  /**
   * `compute(argument)`, computed once per frozen argument. The result is deep-frozen, so that
   * a chain of steps hits at every link and no request can change what another will get; an
   * argument that is not frozen is computed afresh every time, exactly as without the memo.
   *
   * @example
   * memo.reuse(convertTools, tools) === memo.reuse(convertTools, tools); // true when `tools` is frozen
   */
  reuse<Argument, Result>(compute: (argument: Argument) => Result, argument: Argument): Result {
    return this.recall(compute, argument, argument, undefined, alwaysSame);
  }

  /**
   * reuse for a step that also reads a context (a message's place, the link before it): the
   * remembered result holds while `sameContext` says the context is the same.
   *
   * @example
   * memo.reuseInContext(convertAssistant, message, "messages[3]", Object.is);
   */
  reuseInContext<Argument, Context, Result>(
    compute: (argument: Argument, context: Context) => Result,
    argument: Argument,
    context: Context,
    sameContext: (a: Context, b: Context) => boolean,
  ): Result {
    return this.recall(compute, argument, argument, context, sameContext);
  }

  /**
   * reuse for a list that is new on every request but holds the same frozen items (the
   * system prompt's blocks, in an array normalization builds): remembered by its first item,
   * and holding while every item is the same.
   *
   * @example
   * memo.reuseForItems(joinBlocks, [systemBlock, environmentBlock]);
   */
  reuseForItems<Item, Result>(compute: (items: readonly Item[]) => Result, items: readonly Item[]): Result {
    if (!items.every(isFrozenObject)) return compute(items);
    return this.recall(compute, items[0], items, items, sameItems);
  }

  /**
   * For a step that walks a conversation's items in order (messages): what it kept last time
   * for the conversation these items start (see RecentRuns), and how many leading items are the
   * same objects. Following a resent conversation costs a pointer comparison per message, where
   * a lookup per message would cost a conversation of 500 messages about a millisecond per turn
   * over all the steps.
   *
   * @example
   * const { run, shared } = memo.findRun<ConvertedRun>(convertAnthropicMessagesToOpenAI, messages);
   */
  findRun<Kept extends Run>(step: unknown, items: readonly unknown[]): { run: Kept | undefined; shared: number } {
    return (this.runs.get(step) as RecentRuns<Kept> | undefined)?.find(items) ?? { run: undefined, shared: 0 };
  }

  /**
   * Keeps what a step derived from a conversation's leading frozen items, for findRun on the
   * next turn; `run.items` must be frozen objects (see countFrozenLeading). The most recent few
   * conversations are kept per step: Claude Code's main loop and each subagent have their own.
   *
   * @example
   * memo.keepRun(convertAnthropicMessagesToOpenAI, { items: messages.slice(0, frozen), marks });
   */
  keepRun<Kept extends Run>(step: unknown, run: Kept): void {
    let runs = this.runs.get(step);
    if (runs === undefined) {
      runs = new RecentRuns();
      this.runs.set(step, runs);
    }
    runs.keep(run);
  }

  /**
   * A buffer of at least `size` bytes to write a backend request body into, the same from one
   * request to the next: a fresh one per request, as large as the conversation, costs page
   * faults and collector work on every turn. Valid until the next call, so its user must be
   * done with it by then (fetch copies a body before it returns); over 1 MB, a buffer of its own.
   *
   * @example
   * const bytes = memo.writeBuffer(json.length * 3);
   */
  writeBuffer(size: number): Buffer {
    if (size > WRITE_BUFFER_LIMIT) return Buffer.allocUnsafe(size);
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.min(WRITE_BUFFER_LIMIT, size * 2));
    return this.buffer;
  }

  private recall<Argument, Context, Result>(
    compute: (argument: Argument, context: Context) => Result,
    key: unknown,
    argument: Argument,
    context: Context,
    sameContext: (a: Context, b: Context) => boolean,
  ): Result {
    if (!isFrozenObject(key)) return compute(argument, context);
    let results = this.results.get(compute);
    const known = results?.get(key);
    if (known !== undefined && sameContext(known.context as Context, context)) return known.result as Result;
    const result = deepFreeze(compute(argument, context));
    if (results === undefined) {
      results = new WeakMap();
      this.results.set(compute, results);
    }
    results.set(key, { context, result });
    return result;
  }
}

/*
 * The forms the steps use: through `memo` when their caller gave one, afresh otherwise, with
 * the same result either way (a step given no memo is a plain function of its arguments).
 */

/** @example reuse(options.memo, convertTools, request.tools); */
export function reuse<Argument, Result>(
  memo: ConversationMemo | undefined,
  compute: (argument: Argument) => Result,
  argument: Argument,
): Result {
  return memo === undefined ? compute(argument) : memo.reuse(compute, argument);
}

/** @example reuseInContext(memo, convertAssistant, message, path, Object.is); */
export function reuseInContext<Argument, Context, Result>(
  memo: ConversationMemo | undefined,
  compute: (argument: Argument, context: Context) => Result,
  argument: Argument,
  context: Context,
  sameContext: (a: Context, b: Context) => boolean,
): Result {
  return memo === undefined ? compute(argument, context) : memo.reuseInContext(compute, argument, context, sameContext);
}

/** @example reuseForItems(memo, joinBlocks, system); */
export function reuseForItems<Item, Result>(
  memo: ConversationMemo | undefined,
  compute: (items: readonly Item[]) => Result,
  items: readonly Item[],
): Result {
  return memo === undefined ? compute(items) : memo.reuseForItems(compute, items);
}

function alwaysSame(): boolean {
  return true;
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function isFrozenObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && Object.isFrozen(value);
}
