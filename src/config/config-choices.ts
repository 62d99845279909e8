/**
 * Every closed list of words the configuration accepts, written once: the schema builds its
 * unions from these lists, and the code that acts on a choice takes its type from them, so the
 * two cannot drift apart. It imports nothing, and every layer may read it
 * (test/unit/architecture/import-direction.test.ts).
 */

/** Engines anyclaude knows; the schema adds `auto` (probe the server). */
export const BACKEND_KINDS = ["llamacpp", "ollama", "lmstudio", "vllm", "openai", "anthropic"] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** How a backend is spoken to; the schema adds `auto` (native when the backend has it). */
export const BACKEND_MODES = ["translate", "native"] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/** How `thinking` reaches a translate-mode backend; the schema adds `auto` (by kind). */
export const THINKING_STYLES = ["chat_template_kwargs", "reasoning_effort", "none"] as const;
export type ThinkingStyle = (typeof THINKING_STYLES)[number];

/** How a model group orders its targets (src/router/strategies/). */
export const STRATEGY_NAMES = [
  "simple-shuffle",
  "least-busy",
  "usage-based",
  "latency-based",
  "priority",
  "prefix-affinity",
  "failover",
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** What becomes of `role: system` messages inside `messages`. */
export const SYSTEM_MESSAGE_HANDLINGS = ["hoist", "user", "keep"] as const;
export type SystemMessageHandling = (typeof SYSTEM_MESSAGE_HANDLINGS)[number];

/** Where prompt-caching breakpoints go for upstreams that honour them. */
export const CACHE_CONTROL_POINTS = ["system", "last_user_message"] as const;
export type CacheControlPoint = (typeof CACHE_CONTROL_POINTS)[number];

/** Where exact-cache answers live. */
export const CACHE_STORES = ["sqlite", "redis"] as const;
export type CacheStoreName = (typeof CACHE_STORES)[number];

/** What turns request text into vectors for the semantic cache. */
export const EMBEDDING_SOURCES = ["minilm", "backend"] as const;
export type EmbeddingSource = (typeof EMBEDDING_SOURCES)[number];

/** The embedding endpoint a `backend` embedder calls. */
export const EMBEDDING_APIS = ["openai", "ollama"] as const;
export type EmbeddingApi = (typeof EMBEDDING_APIS)[number];

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Web search providers anyclaude can ask (src/search/). */
export const SEARCH_PROVIDERS = ["searxng", "duckduckgo", "brave", "tavily", "serpapi"] as const;
export type SearchProviderName = (typeof SEARCH_PROVIDERS)[number];
