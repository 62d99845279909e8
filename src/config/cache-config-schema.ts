/**
 * The `embedding` and `cache` sections of the configuration: the semantic cache's embedder and the
 * response cache (exact and by meaning, SQLite or Redis), with prompt-caching hints for upstreams.
 */
import { Type as t } from "@sinclair/typebox";
import { CACHE_CONTROL_POINTS, CACHE_STORES, EMBEDDING_APIS, EMBEDDING_SOURCES } from "./config-choices";

export const EmbeddingSchema = t.Object(
  {
    source: t.Union(
      EMBEDDING_SOURCES.map((source) => t.Literal(source)),
      {
        default: "minilm",
        description:
          "What turns request text into vectors for the semantic cache: `minilm` runs all-MiniLM-L6-v2 inside anyclaude (ONNX Runtime, one CPU thread); `backend` asks an embedding endpoint of an inference server.",
      },
    ),
    modelPath: t.Optional(
      t.String({
        minLength: 1,
        description:
          "The all-MiniLM-L6-v2 ONNX file. Default: the one `anyclaude models pull` downloaded into the cache dir, else one built into the binary. `~/` expands to HOME.",
      }),
    ),
    threads: t.Integer({
      minimum: 1,
      default: 1,
      description: "ONNX Runtime threads for `minilm`; the proxy's other work shares the same cores.",
    }),
    backendUrl: t.Optional(
      t.String({
        pattern: "^https?://",
        description: "Server for `backend` embeddings, root URL with or without /v1. Default: the first backend's URL.",
      }),
    ),
    backendModel: t.Optional(
      t.String({ minLength: 1, description: "Embedding model the server runs (e.g. `nomic-embed-text`); required for `backend`." }),
    ),
    backendApi: t.Union(
      EMBEDDING_APIS.map((api) => t.Literal(api)),
      {
        default: "openai",
        description:
          "`openai`: POST /v1/embeddings (llama-server with --embeddings, LM Studio, vLLM, Ollama); `ollama`: Ollama's own POST /api/embed.",
      },
    ),
  },
  { default: {}, additionalProperties: false, description: "Embeddings for the semantic cache." },
);

const RedisCacheSchema = t.Object(
  {
    url: t.String({
      pattern: "^(redis|rediss|valkey|valkeys|redis\\+tls|redis\\+unix|redis\\+tls\\+unix)://",
      default: "redis://127.0.0.1:6379",
      description:
        "`redis://[user:password@]host:port[/db]`; `rediss://` for TLS, `redis+unix:///path` for a socket. Standalone Redis 6.2+ or Valkey; not Redis Cluster.",
    }),
    keyPrefix: t.String({
      minLength: 1,
      default: "anyclaude:cache:",
      description:
        "Prefix of every key anyclaude writes, so it can share a Redis with other data. Instances that should share hits use the same prefix.",
    }),
  },
  { default: {}, additionalProperties: false, description: "The Redis server for `cache.store: redis`." },
);

const ExactCacheSchema = t.Object(
  {
    enabled: t.Boolean({
      default: true,
      description: "Replay an identical request's stored answer (same target, system, messages, tools and settings).",
    }),
    ttlSeconds: t.Integer({
      minimum: 1,
      default: 3600,
      description:
        "How long an answer stays valid. An hour covers retries, re-runs and side calls while keeping time-dependent answers fresh; see docs/decisions/0010-response-cache-policy.md.",
    }),
    maxEntries: t.Integer({ minimum: 1, default: 10_000, description: "Answers kept; beyond it the least recently used go." }),
    maxBytes: t.Integer({
      minimum: 1024,
      default: 256 * 1024 * 1024,
      description: "Bytes of answers kept (their JSON); beyond it the least recently used go.",
    }),
  },
  { default: {}, additionalProperties: false, description: "The exact cache: a hash of the normalized request finds the answer." },
);

const SemanticCacheSchema = t.Object(
  {
    enabled: t.Boolean({
      default: true,
      description:
        "Look up answers by the meaning of the last user turn when everything before it is identical. Which requests qualify: `sideCalls`, `plainRequests`, `withTools`.",
    }),
    threshold: t.Number({
      minimum: 0,
      maximum: 1,
      default: 0.95,
      description: "Least cosine similarity of the last user turn's embedding for a hit; see docs/decisions/0010-response-cache-policy.md.",
    }),
    sideCalls: t.Boolean({
      default: true,
      description: "Tool-less requests with a JSON output format, such as Claude Code's session title.",
    }),
    plainRequests: t.Boolean({
      default: false,
      description: "Other tool-less requests (plain chat). Off: a near paraphrase can ask a different question.",
    }),
    withTools: t.Boolean({
      default: false,
      description: "Requests that offer tools (Claude Code's main loop). Off: a wrong tool call costs more than a slow answer.",
    }),
    ttlSeconds: t.Integer({ minimum: 1, default: 3600, description: "How long an answer can be found by meaning." }),
    maxEntries: t.Integer({
      minimum: 1,
      default: 10_000,
      description: "Answers kept in the semantic cache; beyond it the least recently used go.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description: "The semantic cache (always in the local SQLite store and its HNSW index, even with `store: redis`).",
  },
);

const CacheControlSchema = t.Object(
  {
    inject: t.Boolean({
      default: true,
      description:
        "Add `cache_control: {type: ephemeral}` for `kind: anthropic` upstreams, which honour Anthropic prompt caching. llama-server needs none: anyclaude sends `cache_prompt` and pins slots.",
    }),
    points: t.Array(t.Union(CACHE_CONTROL_POINTS.map((point) => t.Literal(point))), {
      default: ["system", "last_user_message"],
      description:
        "Where: the last system block, the last block of the last user message. Skipped where a marker already is, and never beyond Anthropic's 4 breakpoints.",
    }),
  },
  { default: {}, additionalProperties: false, description: "Prompt-caching breakpoints for upstreams that honour them." },
);

export const CacheSchema = t.Object(
  {
    enabled: t.Boolean({ default: true, description: "The response cache as a whole (exact and semantic). Off: no store is opened." }),
    store: t.Union(
      CACHE_STORES.map((store) => t.Literal(store)),
      {
        default: "sqlite",
        description:
          "Where exact-cache answers live: `sqlite` in the data dir (one instance), `redis` on a Redis server several instances share. Redis down: requests bypass the cache and are still served.",
      },
    ),
    redis: RedisCacheSchema,
    exact: ExactCacheSchema,
    semantic: SemanticCacheSchema,
    bypassRoutes: t.Array(t.String({ minLength: 1 }), {
      default: [],
      description:
        "Never cache requests whose route (`alias`, `direct`, `background`, `longContext`, `thinking`, `opus`, `sonnet`, `haiku`, `default`) or model group is listed. A client can also bypass per request: header `x-anyclaude-cache: bypass`, or `cache-control: no-cache` (refresh) / `no-store`.",
    }),
    control: CacheControlSchema,
  },
  { default: {}, additionalProperties: false, description: "The response cache, and prompt-caching hints for upstreams." },
);
