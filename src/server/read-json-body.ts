/**
 * Reads a request body as JSON within the configured size limit. Oversized bodies get 413 and
 * malformed JSON gets 400, both in Anthropic's shape, before any parsing work is wasted.
 */
import { InvalidRequestError, PayloadTooLargeError } from "../errors/proxy-error";

/**
 * @example
 * const body = await readJsonBody(request, 32 * 1024 * 1024);
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const text = Number.isFinite(declared) && request.headers.has("content-length") ? await request.text() : await readBounded(request, limitBytes);
  if (text.length === 0) throw new InvalidRequestError("request body is empty; expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
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
