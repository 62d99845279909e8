/**
 * OpenAPI document and Swagger UI at `/docs`, with the UI's script and stylesheet served by
 * anyclaude itself: the page must render on a workstation with no internet.
 */
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import swaggerBundlePath from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import swaggerCssPath from "swagger-ui-dist/swagger-ui.css" with { type: "file" };

const ASSETS = "/docs/assets";

export function createDocsRoutes(version: string) {
  return new Elysia({ name: "docs-routes" })
    .get(`${ASSETS}/swagger-ui-bundle.js`, () => serveAsset(swaggerBundlePath, "text/javascript; charset=utf-8"), { detail: { hide: true } })
    .get(`${ASSETS}/swagger-ui.css`, () => serveAsset(swaggerCssPath, "text/css; charset=utf-8"), { detail: { hide: true } })
    .use(
      openapi({
        path: "/docs",
        specPath: "/docs/json",
        provider: "swagger-ui",
        exclude: { paths: [/^\/docs/] },
        swagger: { cdn: `${ASSETS}/swagger-ui-bundle.js`, theme: `${ASSETS}/swagger-ui.css`, autoDarkMode: false },
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

function serveAsset(path: string, contentType: string): Response {
  return new Response(Bun.file(path), { headers: { "content-type": contentType, "cache-control": "public, max-age=86400" } });
}
