/** The Anthropic Messages endpoints Claude Code calls: create (JSON or SSE) and count_tokens. */
import { Elysia } from "elysia";
import { ProxyError } from "../errors/proxy-error";
import { CountTokensSchema, MessageCreateSchema } from "../protocol/anthropic/message-request-schema";
import type { AppServices } from "./app-services";
import { handleCountTokens } from "./handle-count-tokens";
import { handleCreateMessage } from "./handle-create-message";
import { readJsonBody } from "./read-json-body";
import { renderErrorResponse } from "./render-error-response";
import { createRequestId } from "./request-id";

const jsonBody = (schema: object, description: string) => ({
  description,
  required: true,
  content: { "application/json": { schema } },
});

export function createMessagesRoutes(services: AppServices) {
  const limit = services.config.server.maxBodyBytes;
  const parser = services.conversationMemo.parser;
  const serve =
    (handler: typeof handleCreateMessage) =>
    async ({ request }: { request: Request }): Promise<Response> => {
      const requestId = createRequestId();
      try {
        const body = await readJsonBody(request, limit, parser);
        const response = await handler(services, { body, requestId, headers: request.headers, signal: request.signal });
        services.gc?.noteRequest();
        return response;
      } catch (error) {
        // A ProxyError is an answer meant for the client; anything else is a bug worth a log line.
        if (!(error instanceof ProxyError))
          services.logger.error("unhandled error", { requestId, path: new URL(request.url).pathname, error });
        return renderErrorResponse(error, requestId);
      }
    };

  return new Elysia({ name: "messages-routes" })
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
