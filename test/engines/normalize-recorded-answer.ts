/**
 * Fixes the run-to-run noise in a recorded llama-server answer so that recording twice gives the
 * same files: chunk ids and timestamps, the random tool-call ids, and the measured durations.
 * Everything the translation reads or could read (text, chunking, token counts, cache counts,
 * finish reasons, which fields are present) stays as the engine sent it.
 */

/** The timestamp the hand-written golden cases use. */
const CREATED = 1767225600;
const COMPLETION_ID = "chatcmpl-llamaServerGoldenRecording01";
const DURATIONS = [
  "prompt_ms",
  "prompt_per_token_ms",
  "prompt_per_second",
  "predicted_ms",
  "predicted_per_token_ms",
  "predicted_per_second",
];

type Json = Record<string, unknown>;

/**
 * Normalizes a recorded stream (`data: {...}` frames, then `data: [DONE]`) frame by frame,
 * keeping the framing exactly as sent.
 *
 * @example
 * normalizeRecordedStream('data: {"id":"chatcmpl-x","created":1795778444,...}\n\ndata: [DONE]\n\n');
 */
export function normalizeRecordedStream(text: string): string {
  const toolCallIds = new Map<string, string>();
  return text.replace(
    /^data: (\{.*\})$/gm,
    (_line, json: string) => `data: ${JSON.stringify(normalizeRecordedBody(JSON.parse(json) as Json, toolCallIds))}`,
  );
}

/**
 * Normalizes one chunk or one whole completion, in place of a copy. `toolCallIds` maps each
 * recorded id to its stand-in, so one call keeps one id across the chunks of a stream.
 *
 * @example
 * normalizeRecordedBody({ id: "chatcmpl-x", created: 1795778444, choices: [] }); // { id: "chatcmpl-llamaServer…", created: 1767225600, choices: [] }
 */
export function normalizeRecordedBody(body: Json, toolCallIds = new Map<string, string>()): Json {
  const copy = structuredClone(body);
  if ("id" in copy) copy.id = COMPLETION_ID;
  if ("created" in copy) copy.created = CREATED;
  const timings = copy.timings as Json | undefined;
  for (const key of DURATIONS) if (timings && key in timings) timings[key] = 0;
  for (const choice of (copy.choices as Json[] | undefined) ?? []) {
    const calls = ((choice.delta ?? choice.message) as Json | undefined)?.tool_calls as Json[] | undefined;
    for (const call of calls ?? []) {
      if (typeof call.id !== "string") continue;
      if (!toolCallIds.has(call.id)) toolCallIds.set(call.id, `goldenToolCall${String(toolCallIds.size + 1).padStart(18, "0")}`);
      call.id = toolCallIds.get(call.id);
    }
  }
  return copy;
}
