/**
 * What the API docs (`/docs`, `/docs/json`) say the Messages endpoints answer. Documentation only:
 * Elysia validates no response against these (the routes build their answers themselves, checked
 * by the contract tests), so they cost nothing per request.
 */
import { Type as t } from "@sinclair/typebox";
import { ANTHROPIC_ERROR_TYPES } from "../protocol/anthropic/errors";

const ErrorBodySchema = t.Object(
  {
    type: t.Literal("error"),
    error: t.Object({
      type: t.Union(ANTHROPIC_ERROR_TYPES.map((type) => t.Literal(type))),
      message: t.String(),
    }),
    request_id: t.String({ description: "Also in the `request-id` header." }),
  },
  { description: "Anthropic's error body, exactly what Claude Code reads." },
);

const UsageSchema = t.Object({
  input_tokens: t.Integer({ description: "Prompt tokens the engine evaluated (not served from its prompt cache)." }),
  output_tokens: t.Integer(),
  cache_read_input_tokens: t.Optional(t.Integer({ description: "Prompt tokens the engine reused from its prompt (KV) cache." })),
  cache_creation_input_tokens: t.Optional(t.Integer()),
});

const MessageSchema = t.Object(
  {
    id: t.String(),
    type: t.Literal("message"),
    role: t.Literal("assistant"),
    model: t.String({ description: "The model name the client asked for." }),
    content: t.Array(t.Object({ type: t.String() }, { additionalProperties: true }), {
      description: "text, tool_use, thinking, server_tool_use, web_search_tool_result, mcp_tool_use and mcp_tool_result blocks.",
    }),
    stop_reason: t.Union([t.String(), t.Null()]),
    stop_sequence: t.Union([t.String(), t.Null()]),
    usage: UsageSchema,
  },
  { description: "Anthropic's Message." },
);

/** Typed as the OpenAPI types want a schema: a plain object. */
const media = (schema: object) => ({ schema });
const json = (schema: object, description: string) => ({ description, content: { "application/json": media(schema) } });
const failure = (description: string) => json(ErrorBodySchema, description);

const FAILURES = {
  400: failure("The request is not a valid Messages request (the message names the field), or the prompt is too long for the window."),
  401: failure("A client key is required and was missing or wrong."),
  404: failure("No route or model of that name."),
  408: failure("The request body did not arrive within `server.bodyTimeoutMs`."),
  413: failure("The body is larger than `server.maxBodyBytes`."),
  415: failure("The body is not JSON."),
  429: failure("A client key's limit was reached; `retry-after` says when to try again."),
  500: failure("A fault of anyclaude's own, logged with the request id."),
  502: failure("The backend answered with something that is no valid answer."),
  504: failure("The backend did not answer in time."),
  529: failure("Every backend is busy or down, or anyclaude's in-flight limit was reached; `retry-after` may say when to try again."),
};

/** `detail.responses` of `POST /v1/messages`. */
export const MESSAGES_RESPONSES = {
  200: {
    description:
      "The answer: a Message as JSON, or with `stream: true` Server-Sent Events (message_start, content_block_*, message_delta, message_stop, ping; an `error` event when the backend fails after the first byte).",
    content: {
      "application/json": media(MessageSchema),
      "text/event-stream": media(t.String({ description: "`event: <type>` and `data: <JSON>` lines per event." })),
    },
  },
  ...FAILURES,
};

/** `detail.responses` of `POST /v1/messages/count_tokens`. */
export const COUNT_TOKENS_RESPONSES = {
  200: json(
    t.Object({ input_tokens: t.Integer() }),
    "The prompt's tokens: the engine's own count where it has a tokenizer, else anyclaude's estimate.",
  ),
  ...FAILURES,
};
