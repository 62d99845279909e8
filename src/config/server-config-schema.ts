/**
 * The `server` section of the configuration: where anyclaude listens, who may use it (client
 * keys and their limits) and the limits that protect the process from its clients.
 */
import { Type as t } from "@sinclair/typebox";
import { ClientKeysSchema, KeyLimitsSchema } from "./client-keys-config-schema";

export const ServerSchema = t.Object(
  {
    host: t.String({
      default: "127.0.0.1",
      description:
        "Address to listen on; `0.0.0.0` exposes the proxy to the network, which anyclaude refuses without a client key (see `allowUnauthenticated`).",
    }),
    port: t.Integer({ minimum: 0, maximum: 65535, default: 8082, description: "Port to listen on; 0 picks a free one." }),
    maxBodyBytes: t.Integer({ minimum: 1024, default: 32 * 1024 * 1024, description: "Larger request bodies get 413." }),
    pingIntervalMs: t.Integer({ minimum: 100, default: 10_000, description: "Ping frames on a stream that is otherwise silent." }),
    apiKey: t.Optional(
      t.String({
        minLength: 1,
        description:
          "A client key named `default` (see `keys`): every client must then send a key, as `x-api-key` or `Authorization: Bearer` (Claude Code sends ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN); others get 401. Prefer apiKeyEnv or apiKeyFile.",
      }),
    ),
    apiKeyEnv: t.Optional(t.String({ minLength: 1, description: "Name of an environment variable holding server.apiKey." })),
    apiKeyFile: t.Optional(t.String({ minLength: 1, description: "Path of a file holding server.apiKey." })),
    keys: ClientKeysSchema,
    keyLimits: t.Object(KeyLimitsSchema.properties, {
      default: {},
      additionalProperties: false,
      description: "Limits of every key that sets none of its own (a key's `limits` replace these field by field).",
    }),
    allowUnauthenticated: t.Boolean({
      default: false,
      description:
        "Listen beyond loopback with no client key at all: anyone who reaches the port can use your models. Without it, such a start fails. Flag: `--allow-unauthenticated`.",
    }),
    maxInFlight: t.Integer({
      minimum: 1,
      default: 256,
      description:
        "Messages requests answered at once, all keys together (a stream counts until it ends); more get 529 `overloaded_error` with `retry-after`, which Claude Code retries.",
    }),
    idleTimeoutS: t.Integer({
      minimum: 1,
      maximum: 255,
      default: 60,
      description:
        "A connection that sends nothing for this long is closed: idle keep-alive connections, and clients that stall while sending headers or a body. Not applied while an answer is awaited (the backend's `timeouts` are).",
    }),
    bodyTimeoutMs: t.Integer({
      minimum: 100,
      default: 60_000,
      description: "Time to receive a whole request body; a client that trickles it gets 408 `timeout_error`.",
    }),
    clientStallMs: t.Integer({
      minimum: 100,
      default: 300_000,
      description:
        "A streamed answer whose client reads nothing for this long is ended and its backend request aborted: a stuck client cannot hold an engine slot. anyclaude never buffers more than one batch of events for a slow reader; the engine waits.",
    }),
    allowedHosts: t.Array(t.String({ pattern: "^[A-Za-z0-9.:\\[\\]-]+$" }), {
      default: [],
      description:
        "Host names clients may reach anyclaude by, besides `localhost`, `127.0.0.1`, `[::1]` and `host` (any port; a port given here is ignored), e.g. a LAN name or the name a reverse proxy forwards. Listening beyond loopback, the machine's own addresses are accepted too. Any other `Host` gets 403: a web page that points its own name at 127.0.0.1 (DNS rebinding) cannot reach the proxy.",
    }),
    allowedOrigins: t.Array(t.String({ pattern: "^[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s]+/?$" }), {
      default: [],
      description:
        "Web origins (`https://app.example`, `http://localhost:3000`) whose pages may call anyclaude from a browser; they get CORS answers. A request carrying any other `Origin` gets 403, so a page you visit cannot run prompts on your engine. anyclaude's own pages (`/docs`) need no entry; Claude Code, the SDKs and curl send no `Origin`.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "The HTTP listener Claude Code talks to. Headers beyond 16 KiB get 431 (Bun's limit; `bun --max-http-header-size` changes it).",
  },
);
