/**
 * The version and commit anyclaude reports. A compiled binary gets both stamped by the build
 * (`define: { ANYCLAUDE_VERSION: '"1.2.3"', ANYCLAUDE_COMMIT: '"abc1234"' }`); run from source,
 * the version comes from package.json and the commit reads "dev".
 */
import { version as packageVersion } from "../../package.json" with { type: "json" };

// Replaced by the bundler's `define` when set; `typeof` keeps an unreplaced name from throwing.
declare const ANYCLAUDE_VERSION: string | undefined;
declare const ANYCLAUDE_COMMIT: string | undefined;

export const VERSION: string = typeof ANYCLAUDE_VERSION === "string" ? ANYCLAUDE_VERSION : packageVersion;
export const COMMIT: string = typeof ANYCLAUDE_COMMIT === "string" ? ANYCLAUDE_COMMIT : "dev";
