/**
 * What both backend modes share: identity from the resolved settings, the model list, the
 * health probe, and POSTing JSON with the backend's auth and deadlines. Each mode adds its own
 * headers and its own way of reading the answer.
 */
import { BackendHttpError } from "../errors/proxy-error";
import type { BackendModel, CallOptions } from "./backend";
import { type BackendSettings, buildAuthHeaders } from "./backend-settings";
import { checkBackendHealth } from "./check-backend-health";
import { countTextTokens } from "./count-text-tokens";
import { type BackendResponse, fetchBackend } from "./fetch-backend";
import { listBackendModels } from "./list-backend-models";

export abstract class HttpBackend {
  /**
   * Set once the engine answered that it has no tokenizer endpoint (404, 405, 501): later counts
   * go straight to the estimate instead of asking again on every request.
   */
  private lacksTokenizer = false;

  constructor(protected readonly settings: BackendSettings) {}

  get id(): string {
    return this.settings.id;
  }
  get kind() {
    return this.settings.kind;
  }
  get baseUrl(): string {
    return this.settings.baseUrl;
  }

  listModels(signal?: AbortSignal): Promise<BackendModel[]> {
    return listBackendModels(this.settings, signal);
  }

  async countTextTokens(texts: readonly string[], model: string, signal: AbortSignal): Promise<number[] | undefined> {
    if (this.lacksTokenizer) return undefined;
    try {
      return await countTextTokens(this.settings, texts, model, signal);
    } catch (error) {
      // Said once, by the caller's warning; a later request does not ask again.
      if (error instanceof BackendHttpError && [404, 405, 501].includes(error.backendStatus)) this.lacksTokenizer = true;
      throw error;
    }
  }

  checkHealth(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    return checkBackendHealth(this.settings, options);
  }

  /** Headers the mode's protocol needs besides auth (e.g. `anthropic-version`). */
  protected extraHeaders(): Record<string, string> {
    return {};
  }

  protected post(path: string, body: object, options: Pick<CallOptions, "signal" | "memo">): Promise<BackendResponse> {
    return fetchBackend({
      backendId: this.id,
      url: `${this.baseUrl}${path}`,
      body,
      headers: { ...this.extraHeaders(), ...buildAuthHeaders(this.settings) },
      timeouts: this.settings.timeouts,
      signal: options.signal,
      memo: options.memo,
    });
  }
}
