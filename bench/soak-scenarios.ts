/**
 * What bench/soak.ts sends and what counts as a correct answer to it. Each request names its
 * scenario and id in its text (`soak:<scenario>:<id>`) so the engine knows how to answer or fail.
 *   complete: the engine answers (some after one 5xx or 429): correct is exactly `echo <id>` (a
 *     Bash call running it, for tool turns), whole, stop reason included.
 *   fault: the engine fails (reset mid-stream, stall, 5xx, 429, hang, malformed SSE): correct is
 *     an explicit Anthropic error: the error body with a 4xx/5xx status (429 with retry-after),
 *     or, once the stream has begun, one `error` event and no message_stop.
 *   cache: one of a few fixed requests, replayed from the cache when stored: correct as complete.
 *   bad: a body that cannot be served: correct is 400 with invalid_request_error.
 */

type SoakKind = "complete" | "fault" | "cache" | "bad";

export interface SoakScenario {
  name: string;
  kind: SoakKind;
  /** Share of the requests, in percent. */
  weight: number;
}

const SOAK_SCENARIOS: readonly SoakScenario[] = [
  { name: "json", kind: "complete", weight: 20 },
  { name: "stream", kind: "complete", weight: 20 },
  { name: "tool", kind: "complete", weight: 10 },
  { name: "drip", kind: "complete", weight: 3 },
  { name: "5xx-once", kind: "complete", weight: 4 },
  { name: "429-once", kind: "complete", weight: 3 },
  { name: "cache", kind: "cache", weight: 15 },
  { name: "bad", kind: "bad", weight: 8 },
  { name: "5xx", kind: "fault", weight: 4 },
  { name: "429", kind: "fault", weight: 3 },
  { name: "reset", kind: "fault", weight: 4 },
  { name: "malformed", kind: "fault", weight: 3 },
  { name: "stall", kind: "fault", weight: 1.5 },
  { name: "hang", kind: "fault", weight: 1.5 },
];

/** Distinct requests of the cache scenario: each is a miss once, then a hit until evicted or Redis restarts. */
const CACHE_KEYS = 50;

const TOOLS = [
  {
    name: "Bash",
    description: "Runs a shell command.",
    input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
];

const BAD_BODIES = [
  '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [',
  '{"model": "claude-sonnet-4-5", "max_tokens": "many", "messages": [{"role": "user", "content": "hi"}]}',
  '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": []}',
  '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "robot", "content": "hi"}]}',
  "[1, 2, 3]",
];

export interface SoakMarker {
  scenario: string;
  id: string;
}

/** @example findSoakMarker('{"content":"soak:json:r12"}') // { scenario: "json", id: "r12" } */
export function findSoakMarker(text: string): SoakMarker | undefined {
  const match = /soak:([a-z0-9-]+):([a-z]\d+)/.exec(text);
  return match ? { scenario: match[1]!, id: match[2]! } : undefined;
}

export interface SoakRequest {
  scenario: SoakScenario;
  /** What the engine sees; a cache request's id names its fixed request (`c7`). */
  id: string;
  stream: boolean;
  body: string;
}

/**
 * @example
 * const request = buildSoakRequest(SOAK_SCENARIOS[1]!, 41, Math.random);
 * await fetch(`${proxy}/v1/messages`, { method: "POST", body: request.body, headers: { "content-type": "application/json" } });
 */
export function buildSoakRequest(scenario: SoakScenario, index: number, random: () => number): SoakRequest {
  if (scenario.kind === "bad") return { scenario, id: `b${index}`, stream: false, body: BAD_BODIES[index % BAD_BODIES.length]! };
  const id = scenario.kind === "cache" ? `c${Math.floor(random() * CACHE_KEYS)}` : `r${index}`;
  // Cached answers replay in either form, so a cache request's form is its own choice.
  const stream = scenario.name === "json" ? false : scenario.name === "stream" || scenario.name === "drip" ? true : random() < 0.5;
  const marker = `soak:${scenario.name}:${id}`;
  const request: Record<string, unknown> = {
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    stream,
    messages: [{ role: "user", content: marker }],
  };
  if (scenario.name === "tool") {
    request.tools = TOOLS;
    request.messages = [
      { role: "user", content: "List the files." },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_01soak", name: "Bash", input: { command: "ls" } }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01soak", content: "README.md" },
          { type: "text", text: marker },
        ],
      },
    ];
  }
  return { scenario, id, stream, body: JSON.stringify(request) };
}

/**
 * Picks a scenario by weight.
 *
 * @example pickSoakScenario(Math.random).name // "json" one time in five
 */
export function pickSoakScenario(random: () => number): SoakScenario {
  let left = random() * SOAK_SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);
  for (const scenario of SOAK_SCENARIOS) {
    left -= scenario.weight;
    if (left < 0) return scenario;
  }
  return SOAK_SCENARIOS[0]!;
}
