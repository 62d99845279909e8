/**
 * A file a page of anyclaude's needs (a script, a stylesheet), embedded in the compiled binary as
 * a file asset so the page renders on a workstation with no internet, and served from there.
 */

export interface EmbeddedAsset {
  /** The file name under the page's assets path. */
  name: string;
  /** Inside the compiled binary a `/$bunfs/...` path; run from source, the file in the repository. */
  path: string;
  contentType: string;
}

/**
 * @example
 * app.get("/docs/assets/swagger-ui.css", () => serveEmbeddedAsset(SWAGGER_UI_ASSETS.stylesheet));
 */
export function serveEmbeddedAsset(asset: EmbeddedAsset): Response {
  return new Response(Bun.file(asset.path), { headers: { "content-type": asset.contentType, "cache-control": "public, max-age=86400" } });
}
