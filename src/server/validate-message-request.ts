/**
 * Validates an incoming Messages or count_tokens body and names the first bad field the way
 * Anthropic does (`messages.0.content.1.text: ...`), so a client can fix its request.
 */
import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { InvalidRequestError } from "../errors/proxy-error";
import type { ConversationMemo } from "../json/conversation-memo";
import { countFrozenLeading } from "../json/recent-runs";
import { ContentBlockSchemas, CountTokensSchema, MessageCreateSchema } from "../protocol/anthropic/message-request-schema";
import type { CountTokensParams, MessageCreateParams } from "../protocol/anthropic/messages";

const checkCreate = TypeCompiler.Compile(MessageCreateSchema);
const checkCount = TypeCompiler.Compile(CountTokensSchema);
const checkBlock = Object.fromEntries(
  Object.entries(ContentBlockSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
) as Record<string, TypeCheck<TSchema>>;

/**
 * With a memo, messages found valid are not checked again: a conversation's earlier turns
 * arrive as the same frozen objects every turn (see ReusingJsonParser) and cannot have
 * changed, so a long conversation is not checked whole on every turn.
 *
 * @throws InvalidRequestError naming the field
 */
export function validateMessageCreate(body: unknown, memo?: ConversationMemo): MessageCreateParams {
  assertValid(checkCreate, body, memo);
  return body as MessageCreateParams;
}

/** @throws InvalidRequestError naming the field */
export function validateCountTokens(body: unknown, memo?: ConversationMemo): CountTokensParams {
  assertValid(checkCount, body, memo);
  return body as CountTokensParams;
}

function assertValid(check: TypeCheck<TSchema>, body: unknown, memo: ConversationMemo | undefined): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("request body must be a JSON object");
  }
  const all = (body as { messages?: unknown }).messages;
  // The leading messages of a body found valid before, as far as they are the same (frozen) objects.
  const known = Array.isArray(all) && memo !== undefined ? memo.findRun(assertValid, all).shared : 0;
  // The schema checks each message on its own, so leaving out known ones changes no verdict
  // (one stays, for the schema's at-least-one rule); errors are described on the whole body.
  const subject =
    known === 0
      ? body
      : { ...body, messages: known < (all as unknown[]).length ? (all as unknown[]).slice(known) : [(all as unknown[])[0]] };
  if (!check.Check(subject)) throw describe(check, body, "");
  const { messages, tools } = body as { messages: Array<{ content: unknown }>; tools?: Array<{ name: string; type?: string }> };
  messages.forEach((message, m) => {
    if (m < known || !Array.isArray(message.content)) return;
    message.content.forEach((block: { type: string }, b: number) => {
      const blockCheck = checkBlock[block.type];
      if (blockCheck && !blockCheck.Check(block)) throw describe(blockCheck, block, `messages.${m}.content.${b}`);
      if (block.type === "tool_result") validateToolResultContent(block as { content?: unknown }, `messages.${m}.content.${b}`);
    });
  });
  const names = new Set<string>();
  tools?.forEach((tool, i) => {
    if (tool.type === "mcp_toolset") return;
    if (names.has(tool.name)) throw new InvalidRequestError(`tool names must be unique ("${tool.name}")`, `tools.${i}.name`);
    names.add(tool.name);
  });
  const frozen = countFrozenLeading(messages);
  if (frozen > 0) memo?.keepRun(assertValid, { items: messages.slice(0, frozen) });
  validateMcpServerNames(body as { mcp_servers?: Array<{ name: string }>; tools?: Array<{ type?: string; mcp_server_name?: string }> });
}

/** As Anthropic's API: each `mcp_servers` name once, and every `mcp_toolset` names one of them. */
function validateMcpServerNames(body: {
  mcp_servers?: Array<{ name: string }>;
  tools?: Array<{ type?: string; mcp_server_name?: string }>;
}): void {
  const servers = new Set<string>();
  body.mcp_servers?.forEach((server, i) => {
    if (servers.has(server.name))
      throw new InvalidRequestError(`MCP server names must be unique ("${server.name}")`, `mcp_servers.${i}.name`);
    servers.add(server.name);
  });
  body.tools?.forEach((tool, i) => {
    if (tool.type !== "mcp_toolset" || servers.has(tool.mcp_server_name!)) return;
    throw new InvalidRequestError(`names no server of mcp_servers ("${tool.mcp_server_name}")`, `tools.${i}.mcp_server_name`);
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
  // The deepest path is the one that names the real culprit.
  let best: ValueError | undefined;
  for (const error of check.Errors(value)) {
    if (!best || error.path.split("/").length > best.path.split("/").length) best = error;
  }
  const { path: pointer, message } = best ? explain(best) : { path: "", message: "invalid request" };
  const path = [prefix, pointer.split("/").filter(Boolean).join(".")].filter(Boolean).join(".") || undefined;
  return new InvalidRequestError(message, path);
}

/**
 * TypeBox says only "Expected union value" for a union; say what the union allows instead, and
 * for a block-like union whose `type` matches one member (or, matching none, whose one member
 * without a fixed `type` is left), report that member's own error.
 */
function explain(error: ValueError): { path: string; message: string } {
  if (error.type !== ValueErrorType.Union) return { path: error.path, message: error.message };
  const members = (error.schema.anyOf ?? []) as TSchema[];
  const tag = (error.value as { type?: unknown } | null)?.type;
  const tagged = (member: TSchema) => member.properties?.type?.const !== undefined;
  // A value that names no tagged member is held to the one untagged member, if any (a plain tool beside `mcp_toolset`).
  const untagged = members.filter((member) => !tagged(member));
  const matching =
    members.find((member) => tagged(member) && member.properties.type.const === tag) ?? (untagged.length === 1 ? untagged[0] : undefined);
  if (matching) {
    const inner = Value.Errors(matching, error.value).First();
    if (inner) return explain({ ...inner, path: `${error.path}${inner.path}` });
  }
  if (members.length > 0 && members.every(tagged)) {
    const tags = members.map((member) => JSON.stringify(member.properties.type.const)).join(" | ");
    const isObject = typeof error.value === "object" && error.value !== null && !Array.isArray(error.value);
    if (!isObject) return { path: error.path, message: `expected an object with type ${tags}, got ${describeValue(error.value)}` };
    return { path: `${error.path}/type`, message: `expected ${tags}, got ${describeValue(tag)}` };
  }
  return { path: error.path, message: `expected ${members.map(describeSchema).join(" | ")}, got ${describeValue(error.value)}` };
}

function describeSchema(schema: TSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array") return "an array";
  if (schema.type === "object") return "an object";
  return String(schema.type ?? "a valid value");
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return value === undefined ? "nothing" : typeof value;
}
