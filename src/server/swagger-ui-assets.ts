/**
 * Swagger UI's script and stylesheet, embedded in the compiled binary as file assets so `/docs`
 * renders on a workstation with no internet. `anyclaude doctor` reads the same list to check
 * the binary carries them.
 */

import swaggerCssPath from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import swaggerBundlePath from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import type { EmbeddedAsset } from "./embedded-asset";

export const SWAGGER_UI_ASSETS = {
  bundle: { name: "swagger-ui-bundle.js", path: swaggerBundlePath, contentType: "text/javascript; charset=utf-8" },
  stylesheet: { name: "swagger-ui.css", path: swaggerCssPath, contentType: "text/css; charset=utf-8" },
} as const satisfies Record<string, EmbeddedAsset>;
