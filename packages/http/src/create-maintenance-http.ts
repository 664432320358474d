import {
  errorMessage,
  MIKA_MAINTENANCE_TASKS,
  type MikaMaintenanceRuntimeInput,
  type MikaRepositories,
  type MikaRunLaneNowResult,
  type MikaRuntimeEvent,
} from "@mika-maintenance/core";
import type { Meter } from "@opentelemetry/api";
import type { Registry } from "prom-client";
import { checkAdminToken } from "./admin-token.ts";
import { createBacklogTrends } from "./backlog-trend.ts";
import { DASHBOARD_CSS } from "./dashboard/dashboard-css.ts";
import { buildDashboardModel, type MikaDashboardModel } from "./dashboard/dashboard-model.ts";
import { DASHBOARD_SCRIPT } from "./dashboard/dashboard-script.ts";
import { renderDashboardFragment, renderDashboardPage } from "./dashboard/render-dashboard.ts";
import { createMaintenanceSource, type MikaMaintenanceSource } from "./maintenance-source.ts";
import {
  createOpenTelemetryMetrics,
  type MikaOpenTelemetryMetrics,
} from "./metrics/open-telemetry-metrics.ts";
import {
  createPrometheusMetrics,
  type MikaPrometheusMetrics,
} from "./metrics/prometheus-metrics.ts";
import { evaluateReadiness } from "./readiness.ts";

/** What the handler needs from a running maintenance runtime, when the process has one. */
export interface MikaHttpRuntime {
  readonly lanes: readonly { lane: string; intervalMs: number }[];
  isLeader(): boolean;
  runLaneNow(lane: string): Promise<MikaRunLaneNowResult>;
}

/** Options of `createMaintenanceHttp`. */
export interface MikaMaintenanceHttpOptions {
  /** The storage adapter's ports (`runtimeState` and `leadership` at least). */
  repositories: Partial<MikaRepositories>;
  /** The runtime of this process: readiness follows its leadership; "run now" uses it. */
  runtime?: MikaHttpRuntime;
  /** Runs one pass of a lane now when there is no `runtime` (e.g. a dashboard-only process). */
  runLaneNow?: (lane: string) => Promise<MikaRunLaneNowResult>;
  /** Lane overrides as the runtime was configured, so intervals and overdue match. */
  lanes?: MikaMaintenanceRuntimeInput["lanes"];
  leaderName?: string;
  /** Enables the actions (run now, pause, resume) for requests that carry this bearer token. */
  adminToken?: string;
  /** Serve the dashboard page and its JSON API. Default true. */
  dashboard?: boolean;
  /** Prometheus `/metrics`: a registry to add to, or false to serve none. Default: its own registry. */
  prometheus?: Registry | false;
  /** An OpenTelemetry meter to record the same instruments on (optional peer). */
  meter?: Meter;
  /** A path prefix when the handler is mounted below the root, e.g. `/ops`. */
  basePath?: string;
  /** How often the page refreshes itself. Default 5 000 ms. */
  refreshMs?: number;
  /** `/readyz` fails without a live leader. Default: true when `runtime` is given. */
  requireLeader?: boolean;
  now?: () => number;
}

/** The HTTP surface: one Fetch-API handler plus the runtime-event hook that feeds metrics. */
export interface MikaMaintenanceHttp {
  /** `(Request) => Promise<Response>`: mount it in any server, an Astro endpoint or a Worker. */
  fetch(request: Request): Promise<Response>;
  /** Pass to the runtime as `onEvent` (or call from yours) so metrics see every pass. */
  onEvent(event: MikaRuntimeEvent): void;
  /** The store reads the endpoints share. */
  readonly source: MikaMaintenanceSource;
  /** The Prometheus side, when enabled. */
  readonly prometheus: MikaPrometheusMetrics | null;
  /** The OpenTelemetry side, when a meter was given. */
  readonly openTelemetry: MikaOpenTelemetryMetrics | null;
}

const HISTORY_LIMIT = 5_000;

/**
 * Creates the HTTP surface of mika-maintenance: `/healthz`, `/readyz`, `/metrics`, the
 * dashboard (`/`) and its JSON API (`/api/…`). Everything it shows comes from the storage
 * adapter's ports, so it works on every adapter and on any replica.
 */
export function createMaintenanceHttp(options: MikaMaintenanceHttpOptions): MikaMaintenanceHttp {
  const now = options.now ?? Date.now;
  const basePath = normaliseBasePath(options.basePath);
  const refreshMs = options.refreshMs ?? 5_000;
  const dashboardEnabled = options.dashboard !== false;
  const requireLeader = options.requireLeader ?? options.runtime !== undefined;
  const source = createMaintenanceSource({
    repositories: options.repositories,
    ...(options.lanes ? { lanes: options.lanes } : {}),
    ...(options.leaderName ? { leaderName: options.leaderName } : {}),
    historyLimit: HISTORY_LIMIT,
    now,
  });
  const intervals = new Map(options.runtime?.lanes.map((lane) => [lane.lane, lane.intervalMs]));
  const intervalOf = (lane: string) => intervals.get(lane);
  const isLeader = options.runtime ? () => options.runtime!.isLeader() : undefined;
  const prometheus =
    options.prometheus === false
      ? null
      : createPrometheusMetrics({
          source,
          ...(options.prometheus ? { registry: options.prometheus } : {}),
          ...(isLeader ? { isLeader } : {}),
          intervalOf,
        });
  const openTelemetry = options.meter
    ? createOpenTelemetryMetrics({
        meter: options.meter,
        source,
        ...(isLeader ? { isLeader } : {}),
        intervalOf,
      })
    : null;
  const trends = createBacklogTrends();
  const runLaneNow = options.runtime
    ? (lane: string) => options.runtime!.runLaneNow(lane)
    : options.runLaneNow;
  // A runtime knows the host's own tasks too; without one, the built-in lanes are all there is.
  const laneNames = options.runtime
    ? options.runtime.lanes.map((lane) => lane.lane)
    : MIKA_MAINTENANCE_TASKS.map((task) => task.key as string);
  const actionsEnabled = Boolean(options.adminToken);

  async function dashboardModel(fresh = false): Promise<MikaDashboardModel> {
    const snapshot = await source.snapshot({ fresh });
    return buildDashboardModel(snapshot, {
      historyMs: source.historyMs,
      historyLimit: HISTORY_LIMIT,
      actionsEnabled,
      trend: trends.observe,
    });
  }

  async function act(request: Request, lane: string, action: string): Promise<Response> {
    const refusal = checkAdminToken(request, options.adminToken);
    if (refusal) {
      return json(
        { error: refusal.error },
        refusal.status,
        refusal.status === 401 ? { "www-authenticate": 'Bearer realm="mika-maintenance"' } : {},
      );
    }
    if (!laneNames.includes(lane)) {
      return json({ error: `lane must be one of ${laneNames.join(", ")}; got "${lane}".` }, 404);
    }
    // Whatever happens next, the page's next read must show it.
    source.invalidate();
    if (action === "run") {
      if (!runLaneNow) {
        return json({ error: "This server cannot run lanes: it was given no runtime." }, 501);
      }
      const result = await runLaneNow(lane);
      source.invalidate();
      if (result.outcome !== "ran") {
        return json({ ...result, error: result.error ?? result.outcome }, 409);
      }
      return json({
        ...result,
        message: `${lane} ran: ${result.pass.status} in ${result.pass.durationMs} ms.`,
      });
    }
    const runtimeState = options.repositories.runtimeState;
    if (!runtimeState) return json({ error: "repositories.runtimeState is not wired." }, 501);
    const paused = action === "pause";
    const pause = await runtimeState.setLanePaused({
      lane,
      paused,
      by: "dashboard",
      now: new Date(now()).toISOString(),
    });
    source.invalidate();
    return json({
      lane,
      paused: pause,
      message: paused
        ? `${lane} is paused on every replica until it is resumed.`
        : `${lane} resumed; it runs at its next due time.`,
    });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(basePath)) return notFound();
    const path = url.pathname.slice(basePath.length) || "/";
    const method = request.method.toUpperCase();

    const action = /^\/api\/lanes\/([^/]+)\/(run|pause|resume)$/.exec(path);
    if (action && dashboardEnabled) {
      if (method !== "POST") return methodNotAllowed("POST");
      return act(request, decodeURIComponent(action[1]!), action[2]!);
    }
    if (method !== "GET" && method !== "HEAD") return methodNotAllowed("GET, HEAD");

    switch (path) {
      case "/healthz":
        return json({ status: "ok" });
      case "/readyz": {
        const readiness = evaluateReadiness(await source.snapshot({ fresh: true }), {
          requireLeader,
          ...(isLeader ? { isLeader } : {}),
        });
        return json(readiness, readiness.ready ? 200 : 503);
      }
      case "/metrics": {
        if (!prometheus) return notFound();
        const { body, contentType } = await prometheus.scrape();
        return new Response(body, { headers: { "content-type": contentType } });
      }
    }
    if (!dashboardEnabled) return notFound();
    switch (path) {
      case "/":
      case "/dashboard":
        return html(renderDashboardPage(await dashboardModel(), { basePath, refreshMs }));
      case "/partials/dashboard": {
        const model = await dashboardModel();
        return html(renderDashboardFragment(model), { "x-mika-now": model.now });
      }
      case "/dashboard.css":
        return asset(DASHBOARD_CSS, "text/css; charset=utf-8");
      case "/dashboard.js":
        return asset(DASHBOARD_SCRIPT, "text/javascript; charset=utf-8");
      case "/api/dashboard":
        return json(await dashboardModel());
      case "/api/status":
        return json((await source.snapshot()).status);
      case "/api/history": {
        const snapshot = await source.snapshot();
        const lane = url.searchParams.get("lane");
        if (lane !== null && !laneNames.includes(lane)) {
          return json(
            { error: `lane must be one of ${laneNames.join(", ")}; got "${lane}".` },
            400,
          );
        }
        if (!Array.isArray(snapshot.history)) return json(snapshot.history, 503);
        const runs = lane ? snapshot.history.filter((run) => run.lane === lane) : snapshot.history;
        return json({ since: new Date(snapshot.readAtMs - source.historyMs).toISOString(), runs });
      }
    }
    return notFound();
  }

  return {
    source,
    prometheus,
    openTelemetry,
    onEvent(event) {
      prometheus?.onEvent(event);
      openTelemetry?.onEvent(event);
    },
    async fetch(request) {
      try {
        return await route(request);
      } catch (error) {
        return json({ error: errorMessage(error) }, 500);
      }
    },
  };
}

function normaliseBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === "/") return "";
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(basePath)) {
    throw new TypeError(
      `basePath must start with "/" and hold only URL path characters; got ${JSON.stringify(basePath)}.`,
    );
  }
  return basePath.replace(/\/+$/, "");
}

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS, ...headers },
  });
}

function html(body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      ...SECURITY_HEADERS,
      ...headers,
    },
  });
}

function asset(body: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
    },
  });
}

function notFound(): Response {
  return json({ error: "Not found." }, 404);
}

function methodNotAllowed(allow: string): Response {
  return json({ error: `Method not allowed; use ${allow}.` }, 405, { allow });
}
