/**
 * OpenAPI document and Swagger UI at `/docs`, with the UI's script and stylesheet served by
 * anyclaude itself: the page must render on a workstation with no internet.
 */
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { serveEmbeddedAsset } from "./embedded-asset";
import { SWAGGER_UI_ASSETS } from "./swagger-ui-assets";

const ASSETS = "/docs/assets";
const { bundle, stylesheet } = SWAGGER_UI_ASSETS;

export function createDocsRoutes(version: string) {
  return new Elysia({ name: "docs-routes" })
    .get(`${ASSETS}/${bundle.name}`, () => serveEmbeddedAsset(bundle), { detail: { hide: true } })
    .get(`${ASSETS}/${stylesheet.name}`, () => serveEmbeddedAsset(stylesheet), { detail: { hide: true } })
    .use(
      openapi({
        path: "/docs",
        specPath: "/docs/json",
        provider: "swagger-ui",
        exclude: { paths: [/^\/docs/] },
        swagger: { cdn: `${ASSETS}/${bundle.name}`, theme: `${ASSETS}/${stylesheet.name}`, autoDarkMode: false },
        documentation: {
          info: {
            title: "anyclaude",
            version,
            description: "Anthropic Messages API in front of local engines (llama.cpp, Ollama, LM Studio, vLLM), for Claude Code.",
          },
        },
      }),
    );
}
