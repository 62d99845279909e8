// anyclaude's dashboard: reads /api/stats and /api/requests, follows /api/events, draws with uPlot.
// Plain script, no build step: it is served as written.

const MAX_ROWS = 100;
const STATS_REFRESH_MS = 30_000;
const STATS_AFTER_EVENT_MS = 1_000;

const state = { window: "1h", stats: null, backends: [], rows: [], older: null, charts: {}, refreshTimer: 0 };
const $ = (selector) => document.querySelector(selector);

// --- formatting -----------------------------------------------------------------------------

const integer = (value) => (value == null ? "–" : Math.round(value).toLocaleString("en"));
const percent = (value) => (value == null ? "–" : `${(value * 100).toFixed(value >= 0.995 || value === 0 ? 0 : 1)} %`);
function duration(ms) {
  if (ms == null) return "–";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
const clock = (at) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function setText(name, text) {
  for (const element of document.querySelectorAll(`[data-stat="${name}"]`)) element.textContent = text;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

// --- talking to the server ------------------------------------------------------------------

/** A server with client keys answers 401 once the login has expired (or its key was revoked): log in again. */
function logInAgain() {
  location.assign("/login");
  return new Error("this server asks for a client key: log in");
}

async function getJson(path) {
  // The login cookie goes with every same-origin request; the page never sees a key.
  const response = await fetch(path);
  if (response.status === 401) throw logInAgain();
  const body = await response.json();
  if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}`);
  return body;
}

function showProblem(error) {
  const problem = $("#problem");
  problem.hidden = error === undefined;
  problem.textContent = error === undefined ? "" : String(error.message ?? error);
}

async function loadStats() {
  try {
    state.stats = await getJson(`/api/stats?window=${state.window}`);
    showProblem();
    renderStats(state.stats);
  } catch (error) {
    showProblem(error);
  }
}

async function loadRequests(before) {
  try {
    const page = await getJson(`/api/requests?limit=50${before ? `&before=${before}` : ""}`);
    state.rows = before ? state.rows.concat(page.requests) : page.requests;
    state.older = page.next;
    renderRequests();
  } catch (error) {
    showProblem(error);
  }
}

/** Stats again soon, not at every event of a burst. */
function refreshStatsSoon() {
  if (state.refreshTimer) return;
  state.refreshTimer = setTimeout(() => {
    state.refreshTimer = 0;
    loadStats();
  }, STATS_AFTER_EVENT_MS);
}

/** /api/events read with fetch, which reports a 401 that EventSource would hide. */
async function followEvents() {
  for (;;) {
    try {
      const response = await fetch("/api/events");
      if (response.status === 401) throw logInAgain();
      if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
      $("#live").textContent = "live";
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) onEvent(event, JSON.parse(data));
        }
      }
    } catch {
      // The server restarted or the network went: say so, and try again.
    }
    $("#live").textContent = "reconnecting…";
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

function onEvent(event, data) {
  if (event === "backends") {
    state.backends = data.backends;
    renderBackends();
  } else if (event === "request") {
    state.rows = [data, ...state.rows].slice(0, MAX_ROWS);
    renderRequests();
    refreshStatsSoon();
  }
}

// --- rendering ------------------------------------------------------------------------------

function renderStats(stats) {
  const minutes = (stats.window.to - stats.window.from) / 60_000;
  setText("requests", integer(stats.requests));
  setText("per-minute", `${(stats.requests / minutes).toFixed(1)} per minute`);
  setText("errors", integer(stats.errors));
  setText("fallbacks", stats.fallbacks ? `${integer(stats.fallbacks)} after a fallback` : "");
  setText("hit-rate", percent(stats.cache.hitRate));
  setText("hits", `${integer(stats.cache.hits + stats.cache.semanticHits)} hits, ${integer(stats.cache.misses)} misses`);
  setText("time-saved", duration(stats.cache.timeSavedMs));
  setText("latency", `${duration(stats.latencyMs.p50)} / ${duration(stats.latencyMs.p95)}`);
  setText("ttft", `${duration(stats.ttftMs.p50)} / ${duration(stats.ttftMs.p95)}`);
  setText("tokens-per-second", stats.tokens.perSecond == null ? "–" : stats.tokens.perSecond.toFixed(1));
  setText("tokens", `${integer(stats.tokens.input)} / ${integer(stats.tokens.output)}`);
  setText("cached", stats.tokens.cached ? `${integer(stats.tokens.cached)} from the engine's cache` : "");
  setText("context", percent(stats.context.utilization));
  setText("trimmed", stats.context.tokensTrimmed ? `${integer(stats.context.tokensTrimmed)} tokens trimmed` : "");
  setText("prompt-saved", integer(stats.context.promptTokensSaved));
  setText("tools", `${integer(stats.tools.toolCalls)} / ${integer(stats.tools.searchCalls)}`);
  renderBackends();
  renderErrors(stats.recentErrors);
  renderCharts(stats);
}

/** Live state from /api/events (or the stats), the window's figures from the stats. */
function renderBackends() {
  const figures = new Map((state.stats?.backends ?? []).map((backend) => [backend.id, backend]));
  const live = state.backends.length > 0 ? state.backends : (state.stats?.backends ?? []);
  const ids = [...new Set([...live.map((backend) => backend.id), ...figures.keys()])];
  const healthy = live.filter((backend) => backend.state === "up" && backend.circuit !== "open").length;
  const health = $("#health");
  health.textContent = live.length === 0 ? "no backend" : healthy === live.length ? "healthy" : healthy > 0 ? "degraded" : "down";
  health.className = `badge ${live.length > 0 && healthy === live.length ? "ok" : healthy > 0 ? "warn" : "bad"}`;
  const body = $("#backends tbody");
  body.replaceChildren(
    ...ids.map((id) => {
      const now = live.find((backend) => backend.id === id) ?? {};
      const window = figures.get(id) ?? {};
      const slots = (now.models ?? []).map((model) => model.slots).find((slots) => slots != null);
      const row = document.createElement("tr");
      row.dataset.backend = id;
      row.append(
        cell(id),
        cell(now.state ?? "gone", now.state === "up" ? "ok" : now.state === "down" ? "bad" : "quiet"),
        cell(now.circuit ?? "–", now.circuit === "open" ? "bad" : now.circuit === "half-open" ? "warn" : ""),
        cell(now.inFlight == null ? "–" : `${now.inFlight}${now.maxConcurrency ? ` of ${now.maxConcurrency}` : ""}`),
        cell(integer(now.queued)),
        cell(slots == null ? "–" : String(slots)),
        cell(integer(window.requests ?? 0)),
        cell(integer(window.errors ?? 0), window.errors ? "bad" : ""),
        cell(duration(window.meanLatencyMs)),
        cell(window.tokensPerSecond == null ? "–" : window.tokensPerSecond.toFixed(1)),
      );
      if (now.lastError) row.title = now.lastError;
      return row;
    }),
  );
}

function renderErrors(errors) {
  const list = $("#errors");
  if (errors.length === 0) {
    const none = document.createElement("li");
    none.className = "quiet";
    none.textContent = "None in this window.";
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(
    ...errors.map((row) => {
      const item = document.createElement("li");
      item.textContent = `${clock(row.at)} ${row.errorType} (${row.status}) on ${row.backend ?? "no backend"}, ${row.clientModel || "refused before routing"}, ${row.attempts} attempt${row.attempts === 1 ? "" : "s"}`;
      return item;
    }),
  );
}

function renderRequests() {
  $("#requests tbody").replaceChildren(
    ...state.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.append(
        cell(clock(row.at)),
        cell(row.clientModel || "–"),
        cell(row.backend ?? (row.cache === "hit" || row.cache === "semantic" ? "cache" : "–")),
        cell(row.errorType ? `${row.status} ${row.errorType}` : String(row.status), row.errorType ? "bad" : ""),
        cell(row.cache ?? "–"),
        cell(duration(row.latencyMs)),
        cell(duration(row.ttftMs)),
        cell(integer(row.outputTokens)),
      );
      tr.addEventListener("click", () => showDetail(row));
      return tr;
    }),
  );
  $("#older").hidden = state.older == null;
}

function showDetail(row) {
  $("#detail-id").textContent = row.requestId;
  $("#detail-bodies").hidden = true;
  renderDetailFields(row);
  $("#detail").showModal();
  loadDetailBodies(row);
}

/** The prompt and the answer, when the server keeps them (history.storeBodies). */
async function loadDetailBodies(row) {
  try {
    // A row that came live has no id yet: the store has it by now (a read writes what is pending).
    const id = row.id ?? (await getJson("/api/requests?limit=50")).requests.find((stored) => stored.requestId === row.requestId)?.id;
    if (id == null) return;
    const detail = await getJson(`/api/requests/${id}`);
    if (!detail.bodies || $("#detail-id").textContent !== detail.requestId) return;
    const { prompt, answer, truncated } = detail.bodies;
    // A text cut to the cap is no longer JSON: it shows as it is.
    $("#detail-prompt").textContent = truncated ? prompt : indent(prompt);
    $("#detail-answer").textContent = answer === "" ? "–" : truncated ? answer : indent(answer);
    $("#detail-truncated").hidden = !truncated;
    $("#detail-bodies").hidden = false;
  } catch (error) {
    showProblem(error);
  }
}

function indent(json) {
  return JSON.stringify(JSON.parse(json), null, 2);
}

function renderDetailFields(row) {
  $("#detail-fields").replaceChildren(
    ...Object.entries(row).flatMap(([name, value]) => {
      const term = document.createElement("dt");
      term.textContent = name;
      const description = document.createElement("dd");
      description.textContent = name === "at" ? new Date(value).toISOString() : value == null ? "–" : String(value);
      return [term, description];
    }),
  );
}

// --- charts -----------------------------------------------------------------------------------

const CHARTS = {
  requests: {
    element: "#chart-requests",
    series: [
      { label: "requests", stroke: "#2f81f7" },
      { label: "errors", stroke: "#cf222e" },
    ],
    format: (value) => value.toFixed(1),
    sparse: false,
    read: (point, perMinute) => [point.requests * perMinute, point.errors * perMinute],
  },
  latency: {
    element: "#chart-latency",
    series: [
      { label: "latency p50", stroke: "#2f81f7" },
      { label: "latency p95", stroke: "#8250df" },
      { label: "first token p50", stroke: "#1a7f37" },
      { label: "first token p95", stroke: "#9a6700" },
    ],
    format: duration,
    sparse: true,
    read: (point) => [point.latencyP50, point.latencyP95, point.ttftP50, point.ttftP95],
  },
  speed: {
    element: "#chart-speed",
    series: [{ label: "tokens/s", stroke: "#1a7f37" }],
    format: (value) => value.toFixed(1),
    sparse: true,
    read: (point) => [point.tokensPerSecond],
  },
  cache: {
    element: "#chart-cache",
    series: [{ label: "hit rate", stroke: "#8250df" }],
    format: percent,
    sparse: true,
    read: (point) => {
      const looked = point.cacheHits + point.cacheMisses;
      return [looked === 0 ? null : point.cacheHits / looked];
    },
  },
};

function renderCharts(stats) {
  const perMinute = 60_000 / stats.window.stepMs;
  const xs = stats.series.map((point) => point.at / 1000);
  for (const [name, chart] of Object.entries(CHARTS)) {
    const columns = chart.series.map((_, index) => stats.series.map((point) => chart.read(point, perMinute)[index]));
    const data = [xs, ...columns];
    if (state.charts[name]) {
      state.charts[name].setData(data);
      continue;
    }
    const element = $(chart.element);
    state.charts[name] = new uPlot(
      {
        width: element.clientWidth,
        height: 200,
        series: [
          {},
          ...chart.series.map((series) => ({
            ...series,
            width: 2,
            // Durations, speed and hit rate exist only where requests were: joined across quiet slots, each one marked.
            spanGaps: chart.sparse,
            points: { show: chart.sparse, size: 5 },
            value: (_, value) => (value == null ? "–" : chart.format(value)),
          })),
        ],
        axes: [{ stroke: "#888" }, { stroke: "#888", size: 64, values: (_, values) => values.map(chart.format) }],
        scales: { y: { range: (_, _min, max) => [0, Math.max(max ?? 0, name === "cache" ? 1 : 1e-9) * 1.05] } },
      },
      data,
      element,
    );
    new ResizeObserver(() => state.charts[name].setSize({ width: element.clientWidth, height: 200 })).observe(element);
  }
}

// --- start ------------------------------------------------------------------------------------

$("#window").addEventListener("change", (event) => {
  state.window = event.target.value;
  loadStats();
});
$("#older").addEventListener("click", () => loadRequests(state.older));
setInterval(loadStats, STATS_REFRESH_MS);
loadStats();
loadRequests();
followEvents();
