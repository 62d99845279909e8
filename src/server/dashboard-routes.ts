/**
 * `/dashboard`: the page a person opens to see at a glance whether the local setup is healthy
 * and what the proxy saves. Served by anyclaude itself from files embedded in the binary (uPlot
 * included), so it works with no internet; its data comes from the APIs of history-routes.ts.
 */
import { Elysia } from "elysia";
import { DASHBOARD_ASSETS, DASHBOARD_PAGE } from "./dashboard-assets";
import { serveEmbeddedAsset } from "./embedded-asset";

export function createDashboardRoutes() {
  const routes = new Elysia({ name: "dashboard-routes" }).get("/dashboard", () => serveEmbeddedAsset(DASHBOARD_PAGE), {
    detail: { hide: true },
  });
  for (const asset of DASHBOARD_ASSETS) {
    routes.get(`/dashboard/assets/${asset.name}`, () => serveEmbeddedAsset(asset), { detail: { hide: true } });
  }
  return routes;
}
