/**
 * Makes a request's prompt and answer fit the history's cap per row (`history.maxBodyBytes`,
 * UTF-8 bytes, both together): the answer keeps its start, up to half the cap, and the prompt
 * the rest from its end, where the latest turns are; a cut text starts or ends with "…".
 */
import type { RequestBodies } from "../store/request-history-row";

const ELLIPSIS = "…";
const ELLIPSIS_BYTES = Buffer.byteLength(ELLIPSIS);

/**
 * @example
 * capRequestBodies(JSON.stringify(request), JSON.stringify(message), 262_144);
 * // => { prompt: '{"model":…', answer: '{"id":"msg_…', truncated: false }
 */
export function capRequestBodies(prompt: string, answer: string, maxBytes: number): RequestBodies {
  const answerBytes = Buffer.byteLength(answer);
  const promptBytes = Buffer.byteLength(prompt);
  if (answerBytes + promptBytes <= maxBytes) return { prompt, answer, truncated: false };
  const answerShare = Math.min(answerBytes, Math.floor(maxBytes / 2));
  const keptAnswer = answerShare === answerBytes ? answer : keepStart(answer, answerShare);
  const keptPrompt = keepEnd(prompt, maxBytes - Buffer.byteLength(keptAnswer));
  return { prompt: keptPrompt, answer: keptAnswer, truncated: true };
}

/** The text's first bytes that fit `bytes` with the ellipsis after them, cut at a character boundary. */
function keepStart(text: string, bytes: number): string {
  const encoded = Buffer.from(text);
  let end = Math.max(0, bytes - ELLIPSIS_BYTES);
  // A UTF-8 continuation byte (10xxxxxx) would split a character.
  while (end > 0 && (encoded[end]! & 0xc0) === 0x80) end--;
  return encoded.subarray(0, end).toString() + ELLIPSIS;
}

/** The text's last bytes that fit `bytes` with the ellipsis before them, cut at a character boundary. */
function keepEnd(text: string, bytes: number): string {
  const encoded = Buffer.from(text);
  if (encoded.length <= bytes) return text;
  let start = encoded.length - Math.max(0, bytes - ELLIPSIS_BYTES);
  while (start < encoded.length && (encoded[start]! & 0xc0) === 0x80) start++;
  return ELLIPSIS + encoded.subarray(start).toString();
}
