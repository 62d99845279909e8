/**
 * The configuration of tools anyclaude runs itself: MCP servers (stdio commands, streamable-HTTP
 * URLs), Anthropic's MCP connector (`mcp_servers` in a request), and the loop and result cache
 * every proxy-run tool shares. Kept apart from config-schema.ts, which composes it.
 */
import { type Static, Type as t } from "@sinclair/typebox";

const Ms = (minimum: number, defaultValue: number, description: string) => t.Integer({ minimum, default: defaultValue, description });

const McpServerSchema = t.Object(
  {
    command: t.Optional(t.String({ minLength: 1, description: "Program that serves MCP on its stdin/stdout (stdio transport)." })),
    args: t.Array(t.String(), { default: [], description: "Arguments of `command`." }),
    env: t.Record(t.String(), t.String(), {
      default: {},
      description: "Environment of `command`, over the few variables it inherits (PATH, HOME, USER, SHELL, TERM, LOGNAME).",
    }),
    cwd: t.Optional(t.String({ minLength: 1, description: "Working directory of `command`." })),
    url: t.Optional(
      t.String({ pattern: "^https?://", description: "Endpoint of a streamable-HTTP MCP server, e.g. `http://127.0.0.1:3000/mcp`." }),
    ),
    headers: t.Record(t.String(), t.String(), { default: {}, description: "HTTP headers sent to `url` with every message." }),
    headersFromEnv: t.Record(t.String(), t.String({ minLength: 1 }), {
      default: {},
      description: "Header name → environment variable holding its value (`Authorization: MY_TOKEN_VAR`), so secrets stay out of the file.",
    }),
    tools: t.Optional(
      t.Array(t.String({ minLength: 1 }), {
        description: "Allow list of the server's tool names (unprefixed); absent: every tool it lists.",
      }),
    ),
    timeoutMs: Ms(1, 60_000, "Longest a call of one of its tools may take; the model is told the call timed out."),
    toolTimeoutsMs: t.Record(t.String({ minLength: 1 }), t.Integer({ minimum: 1 }), {
      default: {},
      description: "Tool name → its own timeout, over `timeoutMs`.",
    }),
    idempotent: t.Array(t.String({ minLength: 1 }), {
      default: [],
      description:
        'Tools whose result depends only on their input and which change nothing (a docs search, a lookup): their results are cached for `proxyTools.cache.ttlSeconds`. `"*"`: all of them.',
    }),
  },
  {
    // Only makes TypeBox fill the defaults of each server it finds (it skips record values whose schema has none).
    default: {},
    additionalProperties: false,
    description: "One MCP server: `command` (stdio) or `url` (streamable HTTP). Its tools reach the model as `mcp__<name>__<tool>`.",
  },
);

export const McpSchema = t.Object(
  {
    servers: t.Record(t.String({ pattern: "^[A-Za-z0-9_-]{1,40}$" }), McpServerSchema, {
      default: {},
      description:
        "MCP servers by name, started with anyclaude. Their tools are offered beside the client's in every request that offers tools, and anyclaude runs the calls. A server that stops is restarted, its tools withdrawn until it is back.",
    }),
    startTimeoutMs: Ms(1, 30_000, "How long a server may take to start and list its tools."),
    restartMinMs: Ms(1, 1_000, "Wait before restarting a server that stopped; it doubles with each failed start."),
    restartMaxMs: Ms(1, 60_000, "Longest wait between restarts."),
    connector: t.Object(
      {
        enabled: t.Boolean({
          default: true,
          description:
            "Answer requests that carry Anthropic's `mcp_servers` (the MCP connector): anyclaude connects to those URLs, offers their tools and runs the calls. Off: the field is dropped with a warning.",
        }),
        allowedUrls: t.Array(t.String({ pattern: "^https?://" }), {
          default: [],
          description:
            "URL prefixes a request's `mcp_servers` may name (origin, then path: `https://mcp.example.com/` allows every server there). Empty: any URL while anyclaude listens on loopback (its clients are this machine's user), none when it listens beyond, since the connector connects from anyclaude's place in the network.",
        }),
        connectTimeoutMs: Ms(1, 10_000, "How long connecting to a request's server and listing its tools may take."),
        timeoutMs: Ms(1, 60_000, "Longest a call of a request's server's tool may take."),
        idleMs: Ms(1_000, 300_000, "A connection unused this long is closed; the next request with that server connects again."),
      },
      { default: {}, additionalProperties: false, description: "Anthropic's MCP connector (`mcp_servers` in a request)." },
    ),
  },
  { default: {}, additionalProperties: false, description: "MCP servers whose tools anyclaude runs itself." },
);

export const ProxyToolsSchema = t.Object(
  {
    maxSteps: t.Integer({
      minimum: 1,
      maximum: 100,
      default: 10,
      description:
        "Model calls in one answer at most when anyclaude runs tools itself; an answer still calling one then ends with `pause_turn`, and the client's next request goes on.",
    }),
    cache: t.Object(
      {
        enabled: t.Boolean({ default: true, description: "Keep results of tools marked idempotent, in the store in the data dir." }),
        ttlSeconds: t.Integer({ minimum: 1, default: 3600, description: "How long a kept result is used." }),
        maxEntries: t.Integer({ minimum: 1, default: 10_000, description: "Results kept; beyond it the oldest go." }),
      },
      { default: {}, additionalProperties: false, description: "The tool-result cache." },
    ),
  },
  { default: {}, additionalProperties: false, description: "The loop and result cache shared by every tool anyclaude runs itself." },
);

export type McpConfig = Static<typeof McpSchema>;
export type McpServerConfig = Static<typeof McpServerSchema>;
