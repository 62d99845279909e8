/** Parses a backend's JSON text; anything that is not a JSON object is a BackendProtocolError naming the backend. */
import { BackendProtocolError } from "../errors/proxy-error";

export function parseBackendJson(backendId: string, text: string, what = "response"): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BackendProtocolError(backendId, `${what} is not JSON: ${text.slice(0, 200)}`, error);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BackendProtocolError(backendId, `${what} is not a JSON object: ${text.slice(0, 200)}`);
  }
  return value as Record<string, unknown>;
}
