/**
 * Brings a backend URL to the one form the backends build on: the server's root, so that
 * `http://h:8080/v1/`, `http://h:8080/v1` and `http://h:8080/` all name the same server.
 */

/**
 * Removes trailing slashes and one trailing `/v1`, because users copy either the server's root
 * or its OpenAI base URL and the backends add `/v1/...` themselves.
 *
 * @example
 * normalizeBackendUrl("http://127.0.0.1:8080/v1/"); // "http://127.0.0.1:8080"
 * normalizeBackendUrl("http://gpu-box:11434/"); // "http://gpu-box:11434"
 * normalizeBackendUrl("https://example.test/llm/v1"); // "https://example.test/llm"
 */
export function normalizeBackendUrl(url: string): string {
  const withoutSlashes = url.trim().replace(/\/+$/, "");
  if (!/\/v1$/i.test(withoutSlashes)) return withoutSlashes;
  return withoutSlashes.slice(0, -"/v1".length).replace(/\/+$/, "");
}
