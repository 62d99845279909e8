/** The Anthropic Messages endpoints Claude Code calls: create (JSON or SSE) and count_tokens. */
import { Elysia } from "elysia";
import { CountTokensSchema, MessageCreateSchema } from "../protocol/anthropic/message-request-schema";
import type { AppServices } from "./app-services";
import { handleCountTokens } from "./handle-count-tokens";
import { type ErrorHeaders, handleCreateMessage } from "./handle-create-message";
import { readJsonBody } from "./read-json-body";
import { createRequestId } from "./request-id";

const jsonBody = (schema: object, description: string) => ({
  description,
  required: true,
  content: { "application/json": { schema } },
});

export function createMessagesRoutes(services: AppServices) {
  const limit = services.config.server.maxBodyBytes;
  const parser = services.conversationMemo.parser;
  // A failure is thrown to the app's error handler, which answers it with this request's id and the headers in `set`.
  const serve =
    (handler: typeof handleCreateMessage) =>
    async ({ request, requestId, set }: { request: Request; requestId: string; set: { headers: ErrorHeaders } }): Promise<Response> => {
      const body = await readJsonBody(request, limit, parser);
      return handler(services, {
        body,
        requestId,
        headers: request.headers,
        signal: request.signal,
        errorHeaders: set.headers,
      });
    };

  return new Elysia({ name: "messages-routes" })
    .derive(() => ({ requestId: createRequestId() }))
    .post("/v1/messages", serve(handleCreateMessage), {
      parse: "none",
      detail: {
        summary: "Create a message (Anthropic Messages API; streams SSE when `stream: true`)",
        tags: ["Anthropic"],
        requestBody: jsonBody(MessageCreateSchema, "An Anthropic Messages request, e.g. as Claude Code sends it."),
      },
    })
    .post("/v1/messages/count_tokens", serve(handleCountTokens), {
      parse: "none",
      detail: {
        summary: "Count input tokens (exact via the backend's tokenizer when it has one)",
        tags: ["Anthropic"],
        requestBody: jsonBody(CountTokensSchema, "The same fields as a Messages request, without max_tokens."),
      },
    });
}
