/** Builds the Backend for resolved settings: native passthrough or OpenAI translation. */
import { AnthropicNativeBackend } from "./anthropic-native-backend";
import type { Backend } from "./backend";
import type { BackendSettings } from "./backend-settings";
import { OpenAIChatBackend } from "./openai-chat-backend";

export function createBackend(settings: BackendSettings): Backend {
  return settings.mode === "native" ? new AnthropicNativeBackend(settings) : new OpenAIChatBackend(settings);
}
