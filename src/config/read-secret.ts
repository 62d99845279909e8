/**
 * Secrets in the configuration (a backend's API key, the key clients must send anyclaude) come
 * three ways: inline, from an environment variable, or from a file. Inline is simplest;
 * the other two keep the secret out of the config file.
 */
import { readFileSync } from "node:fs";

export interface SecretSource {
  apiKey?: string;
  apiKeyEnv?: string;
  apiKeyFile?: string;
}

/** The source names a variable that is not set, or a file that cannot be read. */
export class SecretUnavailableError extends Error {}

/**
 * The secret, trimmed when read from a file; `undefined` when the source names none.
 *
 * @example
 * readSecret({ apiKeyEnv: "LLAMA_KEY" }, process.env); // the variable's value, or throws SecretUnavailableError
 */
export function readSecret(source: SecretSource, env: Record<string, string | undefined>): string | undefined {
  if (source.apiKey) return source.apiKey;
  if (source.apiKeyEnv) {
    const value = env[source.apiKeyEnv];
    if (!value) throw new SecretUnavailableError(`environment variable ${source.apiKeyEnv} (apiKeyEnv) is not set`);
    return value;
  }
  if (source.apiKeyFile) {
    let text: string;
    try {
      text = readFileSync(source.apiKeyFile, "utf8");
    } catch (error) {
      throw new SecretUnavailableError(`cannot read apiKeyFile ${source.apiKeyFile}: ${(error as Error).message}`, { cause: error });
    }
    const value = text.trim();
    if (value === "") throw new SecretUnavailableError(`apiKeyFile ${source.apiKeyFile} is empty`);
    return value;
  }
  return undefined;
}
