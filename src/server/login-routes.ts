/**
 * `/login` and `/logout` for the dashboard: a browser cannot send `x-api-key`, so it posts a
 * client key once and gets an HttpOnly, SameSite=Strict cookie holding a signed session token
 * (see src/access/session-tokens.ts), which `/dashboard` and `/api/*` accept in place of the key.
 */
import { Elysia } from "elysia";
import type { ClientKeyRegistry } from "../access/client-key-registry";
import type { SessionTokens } from "../access/session-tokens";
import { SESSION_COOKIE } from "./check-client-key";
import { renderLoginPage } from "./render-login-page";

/** A login form carries one short field; anything longer is not one. */
const MAX_FORM_BYTES = 4096;
const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };

export function createLoginRoutes(access: { keys: ClientKeyRegistry; sessions: SessionTokens }) {
  const redirect = (location: string, cookie?: string) =>
    new Response(null, { status: 303, headers: { location, ...(cookie !== undefined && { "set-cookie": cookie }) } });
  const cookie = (value: string, maxAge: number) => `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;

  return new Elysia({ name: "login-routes" })
    .get("/login", () => (access.keys.hasKeys() ? new Response(renderLoginPage(), { headers: HTML }) : redirect("/dashboard")), {
      detail: { hide: true },
    })
    .post(
      "/login",
      async ({ request }) => {
        const form = new URLSearchParams(await readForm(request));
        const key = access.keys.identify(form.get("key") ?? "");
        if (key === undefined) {
          return new Response(renderLoginPage("That key is not one this server knows."), { status: 401, headers: HTML });
        }
        return redirect("/dashboard", cookie(access.sessions.issue(key.name), access.sessions.ttlSeconds));
      },
      { parse: "none", detail: { hide: true } },
    )
    .post("/logout", () => redirect("/login", cookie("", 0)), { parse: "none", detail: { hide: true } });
}

async function readForm(request: Request): Promise<string> {
  const text = await request.text();
  return text.length > MAX_FORM_BYTES ? "" : text;
}
