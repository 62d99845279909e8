/**
 * Converts an Anthropic content block that carries plain content (text, image, document) to
 * chat-completions content parts. Tool calls, tool results and thinking are the message
 * converters' business; anything reaching this function that has no part equivalent becomes
 * text where it has any, and is otherwise dropped with a warning, never a 400.
 */
import type { ContentBlockParam, ImageBlockParam } from "../protocol/anthropic/messages";
import type { ChatContentPart } from "../protocol/openai/chat-request";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Images become `image_url` parts (base64 as a `data:` URL); documents whose source is text
 * become text parts headed by their title; a `tool_reference` (a tool ToolSearch loaded) becomes
 * `Tool loaded: NAME`; PDF and file documents are dropped with a warning,
 * since chat completions have no document part. `cache_control` and `citations` are ignored:
 * they have no chat-completions meaning. `path` names the block in warnings.
 *
 * @example
 * convertAnthropicBlockToOpenAIParts(
 *   { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR…" } },
 *   "messages[0].content[1]",
 * );
 * // => { value: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBOR…" } }], warnings: [] }
 */
export function convertAnthropicBlockToOpenAIParts(block: unknown, path: string): Translated<ChatContentPart[]> {
  const warnings: TranslationWarning[] = [];
  const parts = convertBlock(block, path, warnings);
  return { value: parts, warnings };
}

function convertBlock(block: unknown, path: string, warnings: TranslationWarning[]): ChatContentPart[] {
  // Blocks come from a parsed body: a malformed one must cost a warning, never a throw.
  const typed = (typeof block === "object" && block !== null ? block : {}) as ContentBlockParam;
  switch (typed.type) {
    case "text":
      if (typeof typed.text === "string") return [{ type: "text", text: typed.text }];
      break;
    case "image":
      return convertImage(typed, path, warnings);
    case "document":
      return convertDocument(typed.source, typed.title, path, warnings);
  }
  const record = typed as unknown as Record<string, unknown>;
  // What Claude Code's ToolSearch returns for a tool it loaded: the tool is declared from now on.
  if (record.type === "tool_reference" && typeof record.tool_name === "string") {
    return [{ type: "text", text: `Tool loaded: ${record.tool_name}` }];
  }
  const type = String(record.type);
  if (typeof record.text === "string") {
    warnings.push({ code: "converted-block", path, message: `A "${type}" block has no chat-completions equivalent; sent as its text.` });
    return [{ type: "text", text: record.text }];
  }
  warnings.push(droppedBlock(path, `a "${type}" block has no chat-completions equivalent here`));
  return [];
}

function convertImage(image: ImageBlockParam, path: string, warnings: TranslationWarning[]): ChatContentPart[] {
  const source = (image.source ?? {}) as { type?: string; media_type?: string; data?: string; url?: string };
  let url: string | undefined;
  if (source.type === "base64" && typeof source.data === "string") url = `data:${source.media_type};base64,${source.data}`;
  if (source.type === "url" && typeof source.url === "string") url = source.url;
  if (url !== undefined) return [{ type: "image_url", image_url: { url } }];
  warnings.push(droppedBlock(path, `an image from a "${String(source.type)}" source cannot be sent to the backend`));
  return [];
}

function convertDocument(
  source: unknown,
  title: string | null | undefined,
  path: string,
  warnings: TranslationWarning[],
): ChatContentPart[] {
  const typed = (source ?? {}) as { type?: string; data?: unknown; content?: unknown };
  const heading = typeof title === "string" && title !== "" ? `${title}\n\n` : "";
  if (typed.type === "text" && typeof typed.data === "string") return [{ type: "text", text: heading + typed.data }];
  if (typed.type === "content" && typeof typed.content === "string") return [{ type: "text", text: heading + typed.content }];
  if (typed.type === "content" && Array.isArray(typed.content)) {
    const parts = typed.content.flatMap((block, index) => convertBlock(block, `${path}.source.content[${index}]`, warnings));
    return heading === "" ? parts : [{ type: "text", text: heading.trimEnd() }, ...parts];
  }
  warnings.push(droppedBlock(path, `a document from a "${String(typed.type)}" source (PDF or file) cannot be sent as chat content`));
  return [];
}

function droppedBlock(path: string, reason: string): TranslationWarning {
  return { code: "dropped-block", path, message: `Dropped block: ${reason}.` };
}
