/**
 * `/dashboard` in real headless Chromium (Debian's `chromium`, driven by playwright-core) after
 * scripted traffic, on a server with a client key: the page sends the browser to `/login`, takes
 * the key once and keeps only an HttpOnly session cookie; then it shows the numbers the traffic made (requests, errors, cache hits and
 * misses, a backend that is down), takes in what happens next without a reload, opens a
 * request's details (its prompt and answer too, with `history.storeBodies` on), fits a phone's width, logs no error, and logs out. Screenshots of the laptop and
 * phone views are written to test/artifacts/ (git ignores it).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type DashboardScenario, SCRIPTED_TRAFFIC, startDashboardScenario } from "../support/dashboard-scenario";

const CHROMIUM = Bun.which("chromium");
if (CHROMIUM === null) console.warn("dashboard-chromium.test.ts skipped: no `chromium` on PATH (Debian: apt-get install chromium)");

const ARTIFACTS = join(import.meta.dir, "../artifacts");
const BROWSER_MS = 60_000;
/** Long enough for the page's next read of /api/stats on a busy machine. */
const SHOWN_MS = 20_000;
const KEY = "sk-dashboard-viewer";

describe.skipIf(CHROMIUM === null)("the dashboard in headless Chromium", () => {
  let scenario: DashboardScenario;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const [miss, hit, streamedMiss, streamedHit, failure] = SCRIPTED_TRAFFIC.steps;

  /** Waits until the element shows exactly `text`, and says what it showed instead if it never does. */
  const waitForText = async (selector: string, text: string) => {
    const deadline = performance.now() + SHOWN_MS;
    let shown: string | null = null;
    while (performance.now() < deadline) {
      shown = (await page.locator(selector).first().textContent({ timeout: SHOWN_MS }))?.trim() ?? null;
      if (shown === text) break;
      await Bun.sleep(50);
    }
    expect([selector, shown]).toEqual([selector, text]);
  };
  const stat = (name: string) => `[data-stat="${name}"]`;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Prompts and answers kept (history.storeBodies), so a request's details show them.
    scenario = await startDashboardScenario({ apiKey: KEY, storeBodies: true });
    for (const step of [miss!, hit!, streamedMiss!]) await scenario.send(step);
    browser = await chromium.launch({ executablePath: CHROMIUM! });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${scenario.proxy.url}/dashboard`);
  }, BROWSER_MS);

  afterAll(async () => {
    await browser?.close();
    await scenario?.stop();
  });

  test(
    "sends a visitor without a session to /login; a wrong key stays there, the right one opens the dashboard with an HttpOnly cookie",
    async () => {
      expect(new URL(page.url()).pathname).toBe("/login");
      await page.locator('input[name="key"]').fill("sk-not-the-key");
      await page.getByRole("button", { name: "Log in" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("not one this server knows");
      // The refused login is the one 4xx this page is expected to see. Chromium logs it to the
      // console a moment after the response event, so wait for that line before clearing both.
      for (let waited = 0; waited < 2_000 && !problems.some((problem) => problem.startsWith("console error")); waited += 50) {
        await Bun.sleep(50);
      }
      problems.splice(0);
      await page.locator('input[name="key"]').fill(KEY);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL(`${scenario.proxy.url}/dashboard`);
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: "anyclaude_session", httpOnly: true, sameSite: "Strict" });
      expect(cookie!.value).not.toContain(KEY);
      // Scripts on the page cannot read it.
      expect(await page.evaluate("document.cookie")).toBe("");
    },
    BROWSER_MS,
  );

  test(
    "shows what the traffic so far did: requests, cache, backends, each request",
    async () => {
      await waitForText(stat("requests"), "3");
      await waitForText(stat("errors"), "0");
      await waitForText(stat("hit-rate"), "33.3 %");
      await waitForText(stat("hits"), "1 hits, 2 misses");
      // Anthropic's input_tokens leave out what the engine had cached: 20 of each prompt's 120.
      await waitForText(stat("tokens"), "40 / 60");
      await waitForText(stat("cached"), "200 from the engine's cache");
      await waitForText("#live", "live");
      await waitForText('#backends tr[data-backend="llama"] td:nth-child(2)', "up");
      await waitForText('#backends tr[data-backend="down"] td:nth-child(2)', "down");
      await waitForText('#backends tr[data-backend="llama"] td:nth-child(7)', "2");
      expect(await page.locator("#requests tbody tr").count()).toBe(3);
      expect(await page.locator("#requests tbody tr").first().locator("td").nth(4).textContent()).toBe("miss");
      // Every chart drew its canvas.
      expect(await page.locator(".charts canvas").count()).toBe(4);
    },
    BROWSER_MS,
  );

  test(
    "takes in new requests live, a failure among them, without a reload",
    async () => {
      const navigations: string[] = [];
      page.on("framenavigated", (frame) => navigations.push(frame.url()));
      await scenario.send(streamedHit!);
      await scenario.send(failure!);
      await waitForText(stat("requests"), String(SCRIPTED_TRAFFIC.expected.requests));
      await waitForText(stat("errors"), String(SCRIPTED_TRAFFIC.expected.errors));
      await waitForText(stat("hit-rate"), "40.0 %");
      await waitForText('#backends tr[data-backend="down"] td:nth-child(8)', "1");
      expect(await page.locator("#requests tbody tr").count()).toBe(5);
      const newest = page.locator("#requests tbody tr").first();
      expect(await newest.locator("td.bad").textContent()).toMatch(/^5\d\d [a-z_]+_error$/);
      expect(await page.locator("#errors li").first().textContent()).toContain("on down");
      expect(navigations).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, "dashboard-laptop.png"), fullPage: true });
    },
    BROWSER_MS,
  );

  test(
    "a request's row opens its details",
    async () => {
      await page.locator("#requests tbody tr").nth(1).click();
      const dialog = page.locator("#detail");
      expect(await dialog.isVisible()).toBe(true);
      const details = await dialog.locator("dl").textContent();
      expect(details).toContain("cachehit");
      expect(details).toContain("streamtrue");
      // The prompt as sent and the answer as replayed, indented JSON.
      await page.locator("#detail-bodies").waitFor({ state: "visible", timeout: SHOWN_MS });
      expect(await page.locator("#detail-prompt").textContent()).toContain('"content": "tell a story"');
      expect(await page.locator("#detail-answer").textContent()).toContain('"text": "Once upon a time."');
      expect(await page.locator("#detail-truncated").isVisible()).toBe(false);
      await dialog.getByRole("button", { name: "Close" }).click();
      expect(await dialog.isVisible()).toBe(false);
    },
    BROWSER_MS,
  );

  test(
    "fits a phone's width: nothing wider than the screen but the tables, which scroll",
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      // The charts follow their box's width on the next frame (a ResizeObserver).
      await page.waitForFunction("document.querySelector('.charts canvas').getBoundingClientRect().right <= 390");
      const widths = (await page.evaluate(`({
        page: document.documentElement.scrollWidth,
        charts: [...document.querySelectorAll(".charts canvas")].map((canvas) => canvas.getBoundingClientRect().right),
      })`)) as { page: number; charts: number[] };
      expect(widths.page).toBeLessThanOrEqual(390);
      for (const right of widths.charts) expect(right).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, "dashboard-phone.png"), fullPage: true });
    },
    BROWSER_MS,
  );

  test("logged no error, failed no request", () => {
    expect(problems).toEqual([]);
  });

  test(
    "logging out ends the session: the page goes to /login, and the API answers the browser 401",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL(`${scenario.proxy.url}/login`);
      expect(await page.context().cookies()).toEqual([]);
      expect(await page.evaluate("fetch('/api/stats').then((response) => response.status)")).toBe(401);
    },
    BROWSER_MS,
  );
});
