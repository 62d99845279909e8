/**
 * A configured backend that was not reachable when anyclaude started (engines often start
 * after the proxy, e.g. under systemd). It probes again on use, at most every `retryMs`, and
 * once the engine answers it becomes the real backend; until then calls fail with 529.
 */

import type { BackendKind, BackendMode } from "../config/config-choices";
import type { BackendConfig } from "../config/config-schema";
import { BackendConnectionError } from "../errors/proxy-error";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import type { Backend, BackendModel, CallOptions, MessageStream, TokenCount } from "./backend";
import { createBackend } from "./create-backend";
import { type ResolveOptions, resolveBackendSettings } from "./resolve-backend-settings";

export class ProbingBackend implements Backend {
  private resolved: Backend | undefined;
  private lastAttempt = 0;
  private pending: Promise<Backend> | undefined;

  constructor(
    readonly id: string,
    private readonly config: BackendConfig,
    private readonly options: ResolveOptions & { retryMs: number },
  ) {}

  get kind(): BackendKind {
    return this.resolved?.kind ?? (this.config.kind === "auto" ? "openai" : this.config.kind);
  }
  get mode(): BackendMode {
    return this.resolved?.mode ?? (this.config.mode === "native" ? "native" : "translate");
  }
  get baseUrl(): string {
    return this.config.url;
  }

  async createMessage(request: MessageCreateParams, options: CallOptions): Promise<Message> {
    return (await this.resolve()).createMessage(request, options);
  }
  async streamMessage(request: MessageCreateParams, options: CallOptions): Promise<MessageStream> {
    return (await this.resolve()).streamMessage(request, options);
  }
  async countTokens(request: CountTokensParams, options: CallOptions): Promise<TokenCount> {
    return (await this.resolve()).countTokens(request, options);
  }
  async listModels(signal?: AbortSignal): Promise<BackendModel[]> {
    return (await this.resolve()).listModels(signal);
  }
  async countTextTokens(texts: readonly string[], model: string, signal: AbortSignal): Promise<number[] | undefined> {
    return (await this.resolve()).countTextTokens(texts, model, signal);
  }
  async checkHealth(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    return (await this.resolve()).checkHealth(options);
  }

  private resolve(): Promise<Backend> {
    if (this.resolved) return Promise.resolve(this.resolved);
    if (this.pending) return this.pending;
    if (Date.now() - this.lastAttempt < this.options.retryMs) {
      return Promise.reject(new BackendConnectionError(this.id, `not reachable at ${this.config.url} yet (probing again shortly)`));
    }
    this.lastAttempt = Date.now();
    this.pending = resolveBackendSettings({ ...this.config, id: this.id }, this.options)
      .then((settings) => (this.resolved = createBackend(settings)))
      .catch((error: unknown) => {
        throw new BackendConnectionError(this.id, (error as Error).message, error);
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}
