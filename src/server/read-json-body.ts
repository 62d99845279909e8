/**
 * Reads a request body as JSON within the configured size limit and a nesting limit. Oversized
 * bodies get 413, malformed or absurdly nested JSON gets 400, both in Anthropic's shape, before
 * any other work is wasted on them.
 */
import { InvalidRequestError, PayloadTooLargeError } from "../errors/proxy-error";

/**
 * Far beyond any real tool input or schema, far below the depth at which JSON.stringify (token
 * estimate, translation, forwarding) overflows the stack: about 30,000 levels in Bun, where a
 * parsed body would otherwise end as a 500 that Claude Code retries.
 */
const MAX_NESTING = 1_000;

/**
 * @example
 * const body = await readJsonBody(request, 32 * 1024 * 1024);
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const text = Number.isFinite(declared) && request.headers.has("content-length") ? await request.text() : await readBounded(request, limitBytes);
  if (text.length === 0) throw new InvalidRequestError("request body is empty; expected a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (exceedsNesting(body, MAX_NESTING)) {
    throw new InvalidRequestError(`JSON is nested more than ${MAX_NESTING} levels deep`, findNestingBeyond(body, MAX_NESTING));
  }
  return body;
}

/**
 * The hot-path check: iterative (it cannot overflow itself) and allocation-light, two parallel
 * stacks and `for…in`. Only a body that fails it pays for the path search below.
 */
function exceedsNesting(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= limit) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
    } else {
      for (const key in value) {
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return false;
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
async function readBounded(request: Request, limitBytes: number): Promise<string> {
  if (!request.body) return "";
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  for await (const chunk of request.body) {
    received += chunk.byteLength;
    if (received > limitBytes) throw new PayloadTooLargeError(limitBytes);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
