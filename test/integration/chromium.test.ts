/**
 * anyclaude as a real browser meets it (Debian's headless `chromium`, driven by playwright-core):
 * /docs renders and its try-it-out call is answered; pages elsewhere, or reaching the proxy under
 * a name re-pointed at 127.0.0.1, cannot run a prompt; a configured origin can, through CORS.
 * `--host-resolver-rules` plays the attacker's DNS: every `*.test` name resolves to 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const CHROMIUM = Bun.which("chromium");
if (CHROMIUM === null) console.warn("chromium.test.ts skipped: no `chromium` on PATH (Debian: apt-get install chromium)");

const MESSAGE = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
const BROWSER_MS = 60_000;

describe.skipIf(CHROMIUM === null)("in headless Chromium", () => {
  let backend: FakeOpenAIBackend;
  let pages: ReturnType<typeof Bun.serve>;
  let proxy: StartedProxy;
  let browser: Browser;
  let context: BrowserContext;
  const chats = () => backend.requestsTo("/v1/chat/completions").length;
  /** A page of some other site, under whichever `*.test` name; with `form`, a form that posts there. */
  const openSite = async (name: string, form?: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`http://${name}:${pages.port}/${form ? `?form=${encodeURIComponent(form)}` : ""}`);
    return page;
  };

  beforeAll(async () => {
    backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "hello" })));
    pages = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request) =>
        new Response(renderSite(new URL(request.url).searchParams.get("form")), { headers: { "content-type": "text/html" } }),
    });
    proxy = await startProxy({ server: { allowedOrigins: [`http://app.test:${pages.port}`] } }, [
      { url: backend.url, kind: "llamacpp", mode: "translate" },
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ["--host-resolver-rules=MAP *.test 127.0.0.1"] });
    context = await browser.newContext();
  }, BROWSER_MS);

  afterAll(async () => {
    await browser?.close();
    pages?.stop(true);
    await Promise.all([proxy?.stop(), backend?.stop()]);
  });

  test(
    "/docs renders Swagger UI, and its try-it-out call reaches the engine",
    async () => {
      const page = await context.newPage();
      const failed: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${proxy.url}/docs`);
      expect(await page.locator(".info .title").textContent()).toContain("anyclaude");
      const operation = page.locator(".opblock-post", { has: page.locator('.opblock-summary-path[data-path="/v1/messages"]') });
      await operation.locator(".opblock-summary").click();
      await operation.getByRole("button", { name: "Try it out" }).click();
      await operation.locator("textarea.body-param__text").fill(MESSAGE);
      const before = chats();
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url() === `${proxy.url}/v1/messages`),
        operation.getByRole("button", { name: "Execute" }).click(),
      ]);
      // The page sends its Origin, as browsers do on every POST: it is anyclaude's own.
      expect(await answer.request().headerValue("origin")).toBe(proxy.url);
      expect(answer.status()).toBe(200);
      expect(await answer.json()).toMatchObject({ type: "message", content: [{ type: "text", text: "hello" }] });
      expect(chats()).toBe(before + 1);
      expect(failed).toEqual([]);
    },
    BROWSER_MS,
  );

  test(
    "a page elsewhere cannot run a prompt: not by a form, a no-cors text/plain post or a JSON call",
    async () => {
      const before = chats();
      const page = await openSite("evil.test", `${proxy.url}/v1/messages`);
      const calls = await page.evaluate(
        async ({ url, body }) => {
          const opaque = await fetch(url, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body });
          const json = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
            (response) => `answered ${response.status}`,
            (error: Error) => `${error.name}: ${error.message}`,
          );
          return { opaque: opaque.type, json };
        },
        { url: `${proxy.url}/v1/messages`, body: MESSAGE },
      );
      expect(calls).toEqual({ opaque: "opaque", json: "TypeError: Failed to fetch" });

      // The classic one: a form posting text/plain, which navigates the tab to the answer.
      const [navigation] = await Promise.all([page.waitForResponse(`${proxy.url}/v1/messages`), page.getByRole("button").click()]);
      expect(navigation.status()).toBe(403);
      expect(chats()).toBe(before);
      const refusals = proxy.logs.filter(
        (line) => line.msg.startsWith("request refused") && line.origin === `http://evil.test:${pages.port}`,
      );
      expect(refusals.length).toBe(3); // the no-cors post, the JSON call's preflight, the form
    },
    BROWSER_MS,
  );

  test(
    "a name re-pointed at 127.0.0.1 (DNS rebinding) gets 403, even for /docs",
    async () => {
      const page = await context.newPage();
      const response = await page.goto(`http://rebound.test:${proxy.server.port}/docs`);
      expect(response?.status()).toBe(403);
      expect(await response?.json()).toMatchObject({ type: "error", error: { type: "permission_error" } });
    },
    BROWSER_MS,
  );

  test(
    "a configured origin calls it through a real CORS preflight and reads the answer",
    async () => {
      const before = chats();
      const page = await openSite("app.test");
      const answer = await page.evaluate(
        async ({ url, body }) => {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
            body,
          });
          const message = (await response.json()) as { content: Array<{ text: string }> };
          return { status: response.status, text: message.content[0]?.text, requestId: response.headers.get("request-id") };
        },
        { url: `${proxy.url}/v1/messages`, body: MESSAGE },
      );
      expect(answer).toEqual({ status: 200, text: "hello", requestId: expect.stringMatching(/^req_/) });
      expect(chats()).toBe(before + 1);
    },
    BROWSER_MS,
  );
});

/**
 * A blank page; with `form`, the form any site can put up: a `text/plain` post whose field name
 * and value are cut so that `name=value` is the JSON body, `{...,"pad":"="}`.
 */
function renderSite(form: string | null): string {
  if (!form) return "<!doctype html><title>a site</title>";
  const name = Bun.escapeHTML(`${MESSAGE.slice(0, -1)},"pad":"`);
  return `<!doctype html><title>a site</title><form method="post" enctype="text/plain" action="${Bun.escapeHTML(form)}"><input type="hidden" name="${name}" value='"}'><button>go</button></form>`;
}
