/**
 * The one schema of anyclaude's configuration. Defaults live here; `loadConfig` layers a file,
 * `ANYCLAUDE_*` environment variables and CLI flags on top and validates the result against it.
 * Documented field by field in docs/configuration.md, which scripts/gen-config-doc.ts generates
 * from this file: descriptions written here are what users read.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { CacheSchema, EmbeddingSchema } from "./cache-config-schema";
import { BACKEND_KINDS, BACKEND_MODES, LOG_FORMATS, LOG_LEVELS, SYSTEM_MESSAGE_HANDLINGS, THINKING_STYLES } from "./config-choices";
import { ContextSchema } from "./context-config-schema";
import { HistorySchema } from "./history-config-schema";
import { McpSchema, ProxyToolsSchema } from "./mcp-config-schema";
import { PromptSchema } from "./prompt-config-schema";
import {
  CircuitBreakerOverrideSchema,
  CircuitBreakerSchema,
  HealthSchema,
  ModelGroupsSchema,
  QueueSchema,
  RetryOverrideSchema,
  RetrySchema,
} from "./router-config-schema";
import { SearchSchema } from "./search-config-schema";
import { ServerSchema } from "./server-config-schema";
import { ToolsSchema } from "./tools-config-schema";

const Milliseconds = (defaultValue: number, description: string) => t.Integer({ minimum: 1, default: defaultValue, description });

const TimeoutsSchema = t.Object(
  {
    firstByteMs: Milliseconds(
      600_000,
      "Time until the backend answers with headers and, for a stream, its first chunk (prompt evaluation can take minutes on a large prompt).",
    ),
    idleMs: Milliseconds(
      120_000,
      "Longest silence allowed between two chunks of a streamed answer, or inside a JSON answer or error body once its headers came.",
    ),
    totalMs: Milliseconds(1_800_000, "Upper bound for a whole request."),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "How long to wait for this backend. There is no separate connect timeout (Bun's fetch cannot bound the connection phase alone): a refused connection fails at once, and a host that does not answer fails its health probe within `health.timeoutMs` and leaves the rotation.",
  },
);

const BackendKindSchema = t.Union([t.Literal("auto"), ...BACKEND_KINDS.map((kind) => t.Literal(kind))], {
  default: "auto",
  description: "Engine kind; `auto` probes the server.",
});

const BackendModeSchema = t.Union([t.Literal("auto"), ...BACKEND_MODES.map((mode) => t.Literal(mode))], {
  default: "auto",
  description:
    "`translate` speaks OpenAI chat completions to the backend; `native` forwards Anthropic Messages to its own /v1/messages; `auto` uses native when the backend has it.",
});

const ThinkingStyleSchema = t.Union([t.Literal("auto"), ...THINKING_STYLES.map((style) => t.Literal(style))], {
  default: "auto",
  description:
    "How a request's `thinking` reaches a translate-mode backend: `chat_template_kwargs` (enable_thinking, llama-server/vLLM), `reasoning_effort` (Ollama, LM Studio, OpenAI), `none`; `auto` picks by kind.",
});

export const BackendSchema = t.Object(
  {
    // ":" is allowed so the documented default (host:port) is also a valid explicit id; "/" is not,
    // because it separates the backend from the model in a `backendId/model` target.
    id: t.Optional(
      t.String({ minLength: 1, pattern: "^[A-Za-z0-9._:-]+$", description: "Name used in routes and logs; defaults to host:port." }),
    ),
    url: t.String({ pattern: "^https?://", description: "The server's root URL, with or without /v1." }),
    kind: BackendKindSchema,
    mode: BackendModeSchema,
    apiKey: t.Optional(t.String({ description: "Sent as Bearer token / x-api-key. Prefer apiKeyEnv or apiKeyFile." })),
    apiKeyEnv: t.Optional(t.String({ description: "Name of an environment variable holding the API key." })),
    apiKeyFile: t.Optional(t.String({ description: "Path of a file holding the API key." })),
    models: t.Optional(t.Array(t.String(), { description: "Models to offer; discovered from the backend when absent." })),
    contextWindow: t.Optional(t.Integer({ minimum: 1, description: "Override the context window the backend reports." })),
    thinking: ThinkingStyleSchema,
    timeouts: TimeoutsSchema,
    weight: t.Number({
      exclusiveMinimum: 0,
      default: 1,
      description: "Share of a model group's traffic relative to its other targets (`simple-shuffle`, `prefix-affinity`, tie-breaks).",
    }),
    priority: t.Integer({ minimum: 0, default: 0, description: "Tier for the `priority` strategy: tier 0 is filled first, then 1, ..." }),
    maxConcurrency: t.Optional(
      t.Integer({
        minimum: 1,
        description: "Requests sent to this backend at once; more wait in `queue`. Unset: no limit (the engine queues).",
      }),
    ),
    queue: QueueSchema,
    retry: t.Optional(RetryOverrideSchema),
    circuitBreaker: t.Optional(CircuitBreakerOverrideSchema),
  },
  { additionalProperties: false, description: "One inference server." },
);

const ModelMapSchema = t.Object(
  {
    default: t.Optional(
      t.String({ description: "Target for any Claude model not matched below. Default: the first backend's first model." }),
    ),
    opus: t.Optional(t.String({ description: "Target for Claude Opus models." })),
    sonnet: t.Optional(t.String({ description: "Target for Claude Sonnet models." })),
    haiku: t.Optional(t.String({ description: "Target for Claude Haiku models." })),
    aliases: t.Record(t.String(), t.String(), {
      default: {},
      description: "Exact requested model name → target.",
    }),
  },
  { default: {}, additionalProperties: false, description: "Claude model names → local targets (`model` or `backendId/model`)." },
);

const RoutesSchema = t.Object(
  {
    background: t.Optional(t.String({ description: "Target for background / small-fast requests (haiku-class, session titles)." })),
    thinking: t.Optional(t.String({ description: "Target for requests with thinking enabled." })),
    longContext: t.Optional(t.String({ description: "Target for requests estimated over `longContextThreshold` tokens." })),
    longContextThreshold: t.Integer({
      minimum: 1,
      default: 60_000,
      description: "Estimated prompt tokens above which `longContext` applies.",
    }),
  },
  { default: {}, additionalProperties: false, description: "Targets chosen by what a request needs rather than by its model name." },
);

const ClaudeCodeSchema = t.Object(
  {
    stripBillingHeader: t.Boolean({
      default: true,
      description:
        "Remove the `x-anthropic-billing-header` system line, which Claude Code changes between sessions and for side requests: kept, it defeats the backend's prompt cache on each new session's first turn.",
    }),
    sideCallSlot: t.Boolean({
      default: true,
      description:
        "On a llama-server with two or more slots (`-np`), Claude Code's side calls (subagents, the small-fast model, calls without tools such as session titles and the Bash prefix check; told apart by the billing line Claude Code sends) get its last slot and the main conversations, other clients' requests included, the others (`id_slot`), so a side call never evicts the main conversation's cached prompt. In native mode a pinned request goes to the engine's OpenAI endpoint, since its own `/v1/messages` drops `id_slot` (decision 0030). `false`: the engine places every request.",
    }),
    systemMessages: t.Union(
      SYSTEM_MESSAGE_HANDLINGS.map((handling) => t.Literal(handling)),
      {
        default: "hoist",
        description:
          "`role: system` messages inside `messages`: `hoist` appends them to the system prompt, `user` turns them into user text, `keep` forwards them as they are.",
      },
    ),
  },
  { default: {}, additionalProperties: false, description: "Adjustments for what Claude Code sends." },
);

const DiscoverySchema = t.Object(
  {
    enabled: t.Boolean({ default: true, description: "With no backend configured, probe the usual local ports." }),
    ports: t.Array(t.Integer({ minimum: 1, maximum: 65535 }), {
      default: [11434, 8080, 1234, 8000],
      description: "Ports probed on 127.0.0.1: Ollama, llama-server, LM Studio, vLLM.",
    }),
    timeoutMs: t.Integer({ minimum: 1, default: 800, description: "How long each probe may take." }),
    rescanMs: t.Integer({
      minimum: 100,
      default: 2_000,
      description:
        "While anyclaude runs, the ports where nothing answered are probed again: first after this long, then twice as long each time nothing new answers, up to `rescanMaxMs`. A request that finds no backend available probes them at once.",
    }),
    rescanMaxMs: t.Integer({ minimum: 100, default: 60_000, description: "Longest wait between two probes of the ports still empty." }),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "Finding local engines when no backend is configured: at start-up, then in the background, so an engine started later is used without a restart.",
  },
);

const LoggingSchema = t.Object(
  {
    level: t.Union(
      LOG_LEVELS.map((level) => t.Literal(level)),
      {
        default: "info",
        description: "Least severe level written.",
      },
    ),
    format: t.Union(
      LOG_FORMATS.map((format) => t.Literal(format)),
      {
        default: "text",
        description: "`text`: one `level message key=value` line per record (journald-friendly); `json`: one object per line.",
      },
    ),
  },
  { default: {}, additionalProperties: false, description: "Log records, written to stderr." },
);

const PathsSchema = t.Object(
  {
    dataDir: t.Optional(
      t.String({
        minLength: 1,
        description: "Database and index. Default: `$XDG_DATA_HOME/anyclaude`, else `~/.local/share/anyclaude`. `~/` expands to HOME.",
      }),
    ),
    cacheDir: t.Optional(
      t.String({
        minLength: 1,
        description:
          "Native libraries unpacked from the binary, and models. Default: `$XDG_CACHE_HOME/anyclaude`, else `~/.cache/anyclaude`.",
      }),
    ),
  },
  { default: {}, additionalProperties: false, description: "Where anyclaude keeps files (XDG base directories unless set)." },
);

export const ConfigSchema = t.Object(
  {
    server: ServerSchema,
    backends: t.Array(BackendSchema, { default: [], description: "Inference servers, in order of preference. Empty: see `discovery`." }),
    models: ModelMapSchema,
    routes: RoutesSchema,
    claudeCode: ClaudeCodeSchema,
    prompt: PromptSchema,
    discovery: DiscoverySchema,
    logging: LoggingSchema,
    paths: PathsSchema,
    modelGroups: ModelGroupsSchema,
    retry: RetrySchema,
    circuitBreaker: CircuitBreakerSchema,
    health: HealthSchema,
    embedding: EmbeddingSchema,
    cache: CacheSchema,
    context: ContextSchema,
    mcp: McpSchema,
    proxyTools: ProxyToolsSchema,
    tools: ToolsSchema,
    search: SearchSchema,
    history: HistorySchema,
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type BackendConfig = Static<typeof BackendSchema>;
export type TimeoutsConfig = Static<typeof TimeoutsSchema>;
export type PathsConfig = Static<typeof PathsSchema>;
export type ModelGroupConfig = Static<typeof ModelGroupsSchema>[string];
