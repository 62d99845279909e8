/** The Anthropic Messages endpoints Claude Code calls: create (JSON or SSE) and count_tokens. */
import { Elysia } from "elysia";
import type { ClientKey } from "../access/client-key-registry";
import { ProxyError } from "../errors/proxy-error";
import { CountTokensSchema, MessageCreateSchema } from "../protocol/anthropic/message-request-schema";
import type { AppServices } from "./app-services";
import { handleCountTokens } from "./handle-count-tokens";
import { type ErrorHeaders, handleCreateMessage } from "./handle-create-message";
import { COUNT_TOKENS_RESPONSES, MESSAGES_RESPONSES } from "./openapi-responses";
import { readJsonBody } from "./read-json-body";
import { releaseWhenSent } from "./release-when-sent";
import type { RequestIds } from "./request-id";

const jsonBody = (schema: object, description: string) => ({
  description,
  required: true,
  content: { "application/json": { schema } },
});

interface RouteContext {
  request: Request;
  set: { headers: ErrorHeaders };
  server: { timeout(request: Request, seconds: number): void } | null;
}

interface RequestFacts {
  /** The key the request carried, as the app's key check found it. */
  readClientKey: (request: Request) => ClientKey | undefined;
  /** Where the request's id is kept for the app's error handler. */
  requestIds: RequestIds;
}

export function createMessagesRoutes(services: AppServices, { readClientKey, requestIds }: RequestFacts) {
  const { maxBodyBytes, bodyTimeoutMs } = services.config.server;
  const parser = services.conversationMemo.parser;
  const { limits } = services.access;
  // A failure is thrown to the app's error handler, which answers it with this request's id and the headers in `set`.
  const serve =
    (endpoint: string, handler: typeof handleCreateMessage) =>
    async ({ request, set, server }: RouteContext): Promise<Response> => {
      const requestId = requestIds.assign(request);
      const key = readClientKey(request);
      const count = (status: number) => services.metrics.clientRequests.inc({ key: key?.name ?? "none", endpoint, status: String(status) });
      let lease: ReturnType<typeof limits.admit>;
      try {
        lease = limits.admit(key);
      } catch (error) {
        if (error instanceof ProxyError) {
          count(error.status);
          services.logger.warn("request refused by a limit", { requestId, key: key?.name, endpoint, error: error.message });
        }
        throw error;
      }
      try {
        const body = await readJsonBody(request, maxBodyBytes, parser, bodyTimeoutMs);
        // From here the wait is the backend's (its own deadlines apply): a prompt can take minutes before
        // the first byte. Bun 1.4 already spares a request its handler is answering; older Bun did not.
        server?.timeout(request, 0);
        const response = await handler(services, {
          body,
          requestId,
          headers: request.headers,
          signal: request.signal,
          errorHeaders: set.headers,
          clientKey: key?.name,
        });
        count(response.status);
        return releaseWhenSent(response, lease.release);
      } catch (error) {
        lease.release();
        count((error as { status?: number }).status ?? 500);
        throw error;
      }
    };

  return new Elysia({ name: "messages-routes" })
    .post("/v1/messages", serve("messages", handleCreateMessage), {
      parse: "none",
      detail: {
        summary: "Create a message (Anthropic Messages API; streams SSE when `stream: true`)",
        tags: ["Anthropic"],
        requestBody: jsonBody(MessageCreateSchema, "An Anthropic Messages request, e.g. as Claude Code sends it."),
        responses: MESSAGES_RESPONSES,
      },
    })
    .post("/v1/messages/count_tokens", serve("count_tokens", handleCountTokens), {
      parse: "none",
      detail: {
        summary: "Count input tokens (exact via the backend's tokenizer when it has one)",
        tags: ["Anthropic"],
        requestBody: jsonBody(CountTokensSchema, "The same fields as a Messages request, without max_tokens."),
        responses: COUNT_TOKENS_RESPONSES,
      },
    });
}
