/**
 * Validates an incoming Messages or count_tokens body and names the first bad field the way
 * Anthropic does (`messages.0.content.1.text: ...`), so a client can fix its request.
 */
import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import { InvalidRequestError } from "../errors/proxy-error";
import { ContentBlockSchemas, CountTokensSchema, MessageCreateSchema } from "../protocol/anthropic/message-request-schema";
import type { CountTokensParams, MessageCreateParams } from "../protocol/anthropic/messages";

const checkCreate = TypeCompiler.Compile(MessageCreateSchema);
const checkCount = TypeCompiler.Compile(CountTokensSchema);
const checkBlock = Object.fromEntries(
  Object.entries(ContentBlockSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
) as Record<string, TypeCheck<TSchema>>;

/** @throws InvalidRequestError naming the field */
export function validateMessageCreate(body: unknown): MessageCreateParams {
  assertValid(checkCreate, body);
  return body as MessageCreateParams;
}

/** @throws InvalidRequestError naming the field */
export function validateCountTokens(body: unknown): CountTokensParams {
  assertValid(checkCount, body);
  return body as CountTokensParams;
}

function assertValid(check: TypeCheck<TSchema>, body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("request body must be a JSON object");
  }
  if (!check.Check(body)) throw describe(check, body, "");
  const { messages, tools } = body as { messages: Array<{ content: unknown }>; tools?: Array<{ name: string }> };
  messages.forEach((message, m) => {
    if (!Array.isArray(message.content)) return;
    message.content.forEach((block: { type: string }, b: number) => {
      const blockCheck = checkBlock[block.type];
      if (blockCheck && !blockCheck.Check(block)) throw describe(blockCheck, block, `messages.${m}.content.${b}`);
      if (block.type === "tool_result") validateToolResultContent(block as { content?: unknown }, `messages.${m}.content.${b}`);
    });
  });
  const names = new Set<string>();
  tools?.forEach((tool, i) => {
    if (names.has(tool.name)) throw new InvalidRequestError(`tool names must be unique ("${tool.name}")`, `tools.${i}.name`);
    names.add(tool.name);
  });
}

function validateToolResultContent(block: { content?: unknown }, path: string): void {
  if (!Array.isArray(block.content)) return;
  block.content.forEach((part: { type: string }, p: number) => {
    const partCheck = checkBlock[part.type];
    if (partCheck && !partCheck.Check(part)) throw describe(partCheck, part, `${path}.content.${p}`);
  });
}

function describe(check: TypeCheck<TSchema>, value: unknown, prefix: string): InvalidRequestError {
  // Union errors are vague; the deepest path is the one that names the real culprit.
  let best: { path: string; message: string } | undefined;
  for (const error of check.Errors(value)) {
    if (!best || error.path.split("/").length > best.path.split("/").length) best = error;
  }
  const pointer = (best?.path ?? "").split("/").filter(Boolean).join(".");
  const path = [prefix, pointer].filter(Boolean).join(".") || undefined;
  return new InvalidRequestError(best?.message ?? "invalid request", path);
}
