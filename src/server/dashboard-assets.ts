/**
 * The dashboard's page, script and stylesheet, with uPlot's, embedded in the compiled binary as
 * file assets so `/dashboard` renders with no internet. `anyclaude doctor` reads the same list
 * to check the binary carries them.
 */

import uPlotScriptPath from "uplot/dist/uPlot.iife.min.js" with { type: "file" };
import uPlotCssPath from "uplot/dist/uPlot.min.css" with { type: "file" };
import dashboardCssPath from "./dashboard/dashboard.css" with { type: "file" };
import dashboardPagePath from "./dashboard/dashboard.html" with { type: "file" };
import dashboardScriptPath from "./dashboard/dashboard.js" with { type: "file" };
import type { EmbeddedAsset } from "./embedded-asset";

const SCRIPT = "text/javascript; charset=utf-8";
const STYLESHEET = "text/css; charset=utf-8";

export const DASHBOARD_PAGE: EmbeddedAsset = {
  name: "dashboard.html",
  // Bun's types make every .html import an HTMLBundle; imported as a file, it is the file's path.
  path: dashboardPagePath as unknown as string,
  contentType: "text/html; charset=utf-8",
};

/** Served under `/dashboard/assets/`. */
export const DASHBOARD_ASSETS: readonly EmbeddedAsset[] = [
  { name: "dashboard.js", path: dashboardScriptPath, contentType: SCRIPT },
  { name: "dashboard.css", path: dashboardCssPath, contentType: STYLESHEET },
  { name: "uPlot.iife.min.js", path: uPlotScriptPath, contentType: SCRIPT },
  { name: "uPlot.min.css", path: uPlotCssPath, contentType: STYLESHEET },
];
