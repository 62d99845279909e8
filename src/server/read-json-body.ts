/**
 * Reads a request body as JSON within the configured size limit and a nesting limit. Oversized
 * bodies get 413, malformed or absurdly nested JSON gets 400, both in Anthropic's shape, before
 * any other work is wasted on them.
 */
import { InvalidRequestError, PayloadTooLargeError, RequestTimeoutError } from "../errors/proxy-error";
import { exceedsNesting } from "../json/exceeds-nesting";
import type { ReusingJsonParser } from "../json/reusing-json-parser";
import { parseThenRelease } from "./parse-then-release";

/**
 * Far beyond any real tool input or schema, far below the depth at which JSON.stringify (token
 * estimate, translation, forwarding) overflows the stack: about 30,000 levels in Bun, where a
 * parsed body would otherwise end as a 500 that Claude Code retries.
 */
export const MAX_NESTING = 1_000;

const decoder = new TextDecoder();

/**
 * @example
 * const body = await readJsonBody(request, 32 * 1024 * 1024);
 * const reusing = await readJsonBody(request, 32 * 1024 * 1024, new ReusingJsonParser({ maxDepth: MAX_NESTING }), 60_000);
 */
export async function readJsonBody(request: Request, limitBytes: number, parser?: ReusingJsonParser, timeoutMs?: number): Promise<unknown> {
  const reading = readWithinLimit(request, limitBytes, parser);
  if (timeoutMs === undefined) return reading;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    // A body still trickling in after the deadline settles nobody: race() has subscribed to it.
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function readWithinLimit(request: Request, limitBytes: number, parser?: ReusingJsonParser): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const parse = (bytes: Uint8Array): unknown => {
    if (bytes.length === 0) throw new InvalidRequestError("request body is empty; expected a JSON object");
    try {
      return parser ? parser.parse(bytes) : JSON.parse(decoder.decode(bytes));
    } catch (error) {
      throw new InvalidRequestError(`request body is not valid JSON: ${(error as Error).message}`);
    }
  };
  const body =
    Number.isFinite(declared) && request.headers.has("content-length")
      ? parseThenRelease(await request.arrayBuffer(), parse)
      : parse(await readBounded(request, limitBytes));
  if (exceedsNesting(body, MAX_NESTING)) {
    throw new InvalidRequestError(`JSON is nested more than ${MAX_NESTING} levels deep`, findNestingBeyond(body, MAX_NESTING));
  }
  return body;
}

/**
 * Iterative, so the check itself cannot overflow. Returns where the first value past the limit
 * sits, shortened to the fields that name it (`messages.1.content.0.input.x.0.0…`).
 */
function findNestingBeyond(root: unknown, limit: number): string | undefined {
  // Only called once exceedsNesting said yes.
  type Visit = { value: unknown; depth: number; key: string; parent: Visit | undefined };
  const pending: Visit[] = [{ value: root, depth: 0, key: "", parent: undefined }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    if (typeof visit.value !== "object" || visit.value === null) continue;
    if (visit.depth >= limit) {
      const keys: string[] = [];
      for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.unshift(at.key);
      return keys.length > 10 ? `${keys.slice(0, 10).join(".")}…` : keys.join(".");
    }
    for (const [key, value] of Object.entries(visit.value)) pending.push({ value, depth: visit.depth + 1, key, parent: visit });
  }
  return undefined;
}

/** Chunked uploads carry no length: count while reading and stop at the limit. */
async function readBounded(request: Request, limitBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of request.body) {
    received += chunk.byteLength;
    if (received > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}
