/**
 * The client keys' part of the server's configuration: named keys (a SHA-256 hash, or a secret
 * read from the config, a variable or a file) and the limits each key gets, so several people
 * can share one anyclaude without one runaway agent starving the others.
 */
import { type Static, Type as t } from "@sinclair/typebox";

/** What names a key: in logs, metrics, the history and `anyclaude keys`. */
export const CLIENT_KEY_NAME_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

export const KeyLimitsSchema = t.Object(
  {
    requestsPerMinute: t.Optional(t.Integer({ minimum: 1, description: "Requests a key may start in any 60 seconds." })),
    concurrentRequests: t.Optional(
      t.Integer({ minimum: 1, description: "Requests of one key answered at once (a stream counts until it ends)." }),
    ),
    tokensPerDay: t.Optional(
      t.Integer({
        minimum: 1,
        description:
          "Input plus output tokens of one key per UTC day, counted from each answer's usage once it ends (so the answer that crosses the line completes). Survives a restart through the request history.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Per-key limits; unset: none. Over one, a request gets Anthropic's 429 `rate_limit_error` with `retry-after` (seconds), which Claude Code waits out.",
  },
);

const ClientKeySchema = t.Object(
  {
    hash: t.Optional(
      t.String({
        pattern: "^(sha256:)?[0-9a-f]{64}$",
        description:
          "SHA-256 of the key, hex (`sha256:` prefix optional): what `anyclaude keys hash` prints. The config then holds no secret.",
      }),
    ),
    apiKey: t.Optional(t.String({ minLength: 1, description: "The key itself. Prefer `hash`, apiKeyEnv or apiKeyFile." })),
    apiKeyEnv: t.Optional(t.String({ minLength: 1, description: "Name of an environment variable holding the key." })),
    apiKeyFile: t.Optional(t.String({ minLength: 1, description: "Path of a file holding the key." })),
    limits: t.Optional(KeyLimitsSchema),
  },
  { additionalProperties: false, description: "One client key: give exactly one of hash, apiKey, apiKeyEnv, apiKeyFile." },
);

export const ClientKeysSchema = t.Record(t.String({ pattern: CLIENT_KEY_NAME_PATTERN }), ClientKeySchema, {
  default: {},
  description:
    "Named client keys, besides those `anyclaude keys add NAME` keeps in the data dir's store (which a running server picks up without a restart). With any key, configured or stored, every request but `/health`, `/docs` and `/login` must carry one; the dashboard asks for one at `/login`.",
});

export type KeyLimits = Static<typeof KeyLimitsSchema>;
export type ClientKeyConfig = Static<typeof ClientKeySchema>;
