import {
  createMaintenanceRuntime,
  createManualScheduler,
  defineMaintenanceTask,
  type MikaHostTasks,
  type MikaRuntimeEvent,
} from "@mika-maintenance/core";
import { createMemoryRepositories } from "@mika-maintenance/memory";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { createMaintenanceHttp } from "../src/index.ts";

const T0 = "2026-11-29T03:00:00.000Z";

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** A memory store with a few expired reservations and nonces, and a runtime over it. */
async function setup(options: { adminToken?: string; tasks?: MikaHostTasks } = {}) {
  const repositories = createMemoryRepositories();
  const scheduler = createManualScheduler({ start: T0 });
  const at = (offsetMs: number) => new Date(Date.parse(T0) + offsetMs).toISOString();
  await repositories.stock.upsertStockItem({ id: "sku", quantityOnHand: 5, now: at(-3_600_000) });
  for (let index = 0; index < 3; index += 1) {
    await repositories.stock.reserveStock({
      stockItemId: "sku",
      quantity: 1,
      cartId: `cart-${index}`,
      expiresAt: at(-60_000 * (index + 1)),
      now: at(-3_600_000),
    });
  }
  const events: MikaRuntimeEvent[] = [];
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  let http: ReturnType<typeof createMaintenanceHttp> | undefined;
  const runtime = createMaintenanceRuntime({
    repositories,
    scheduler,
    logger: false,
    instanceId: "replica-a",
    ...(options.tasks ? { tasks: options.tasks } : {}),
    onEvent(event) {
      events.push(event);
      http?.onEvent(event);
    },
  });
  http = createMaintenanceHttp({
    repositories,
    runtime,
    meter: meterProvider.getMeter("test"),
    now: () => scheduler.now(),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  const get = (path: string, init?: RequestInit) =>
    http!.fetch(new Request(`http://localhost${path}`, init));
  return { repositories, scheduler, runtime, http, get, reader, events, at };
}

describe("createMaintenanceHttp", () => {
  it("serves /healthz, and /readyz fails without a leader, naming why", async () => {
    const { get, repositories, at } = await setup();
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const notReady = await get("/readyz");
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      ready: false,
      checks: { store: { ok: true }, leader: { ok: false, detail: "no leader" } },
    });

    await repositories.leadership.tryAcquireLeadership({
      name: "mika-maintenance",
      holder: "replica-b",
      now: at(0),
      ttlMs: 30_000,
    });
    const ready = await get("/readyz");
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { leader: { ok: true, detail: "following live leader replica-b" } },
    });
    expect(ready.status).toBe(200);
  });

  it("counts passes, moved items and durations in Prometheus and OpenTelemetry alike", async () => {
    const { get, runtime, reader } = await setup();
    await runtime.tick({ budgetMs: 60_000 });
    const response = await get("/metrics");
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(
      'mika_maintenance_items_moved_total{lane="stockReservations",action="released"} 3',
    );
    expect(text).toMatch(
      /mika_maintenance_pass_duration_seconds_count\{lane="stockReservations",status="completed"\} 1/,
    );
    expect(text).toContain('mika_maintenance_backlog_items{backlog="expiredReservations"} 0');
    expect(text).toContain("mika_maintenance_store_up 1");
    expect(text).toContain("mika_maintenance_leader 0");
    expect(text).toContain('mika_maintenance_lane_overdue{lane="stockReservations"} 0');

    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const moved = metrics.find((m) => m.descriptor.name === "mika_maintenance_items_moved_total");
    expect(moved?.dataPoints).toContainEqual(
      expect.objectContaining({
        attributes: { lane: "stockReservations", action: "released" },
        value: 3,
      }),
    );
    const backlog = metrics.find((m) => m.descriptor.name === "mika_maintenance_backlog_items");
    expect(backlog?.dataPoints.length).toBe(5);
    expect(metrics.map((m) => m.descriptor.name)).toContain(
      "mika_maintenance_pass_duration_seconds",
    );
  });

  it("serves the dashboard and its JSON API from the store", async () => {
    const { get, runtime } = await setup();
    await runtime.tick({ budgetMs: 60_000 });
    const page = await get("/");
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const body = await page.text();
    expect(body).toContain('id="lane-stockReservations"');
    expect(body).toContain("Read-only");
    expect(body).not.toContain("data-action=");
    const model = (await (await get("/api/dashboard")).json()) as {
      lanes: { lane: string; history: { moved: number; passes: number } }[];
    };
    const lane = model.lanes.find((candidate) => candidate.lane === "stockReservations");
    expect(lane?.history).toMatchObject({ moved: 3, passes: 1 });
    expect((await get("/dashboard.js")).headers.get("content-type")).toMatch(/javascript/);
    expect((await get("/nope")).status).toBe(404);
    expect((await get("/healthz", { method: "POST" })).status).toBe(405);
  });

  it("refuses actions without a configured token (403) and with a wrong one (401)", async () => {
    const readOnly = await setup();
    const refused = await readOnly.get("/api/lanes/stockReservations/pause", { method: "POST" });
    expect(refused.status).toBe(403);
    expect(await readOnly.repositories.runtimeState.listLanePauses()).toEqual([]);

    const admin = await setup({ adminToken: "s3cret-token-for-tests" });
    const wrong = await admin.get("/api/lanes/stockReservations/pause", {
      method: "POST",
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const missing = await admin.get("/api/lanes/stockReservations/pause", { method: "POST" });
    expect(missing.status).toBe(401);
    expect(await admin.repositories.runtimeState.listLanePauses()).toEqual([]);
  });

  it("with the token, pauses, resumes and runs a lane now", async () => {
    const { get, repositories, scheduler } = await setup({ adminToken: "s3cret-token-for-tests" });
    const auth = { authorization: "Bearer s3cret-token-for-tests" };
    const pause = await get("/api/lanes/ephemeralRecords/pause", { method: "POST", headers: auth });
    expect(pause.status).toBe(200);
    expect(await repositories.runtimeState.listLanePauses()).toEqual([
      { lane: "ephemeralRecords", pausedAt: T0, pausedBy: "dashboard" },
    ]);
    const page = await (await get("/")).text();
    expect(page).toContain('aria-label="Resume ephemeralRecords"');
    await get("/api/lanes/ephemeralRecords/resume", { method: "POST", headers: auth });
    expect(await repositories.runtimeState.listLanePauses()).toEqual([]);

    await scheduler.advance(1_000);
    const run = await get("/api/lanes/stockReservations/run", { method: "POST", headers: auth });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({
      outcome: "ran",
      pass: { lane: "stockReservations", trigger: "manual", counters: { reservationsReleased: 3 } },
    });
    const unknown = await get("/api/lanes/nope/run", { method: "POST", headers: auth });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /lane must be one of .*stockReservations/,
    );
  });

  it("runs a host-defined task's lane now, like a built-in one", async () => {
    const hostAudit = defineMaintenanceTask({
      key: "hostAudit",
      description: "Audits what the host cares about.",
      lane: { kind: "hygiene", intervalMs: 60_000 },
      plan: () => ({ run: async () => ({ audited: 2, hasMore: false }) }),
    });
    const { get } = await setup({ adminToken: "s3cret-token-for-tests", tasks: [hostAudit] });
    const auth = { authorization: "Bearer s3cret-token-for-tests" };
    const run = await get("/api/lanes/hostAudit/run", { method: "POST", headers: auth });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({
      outcome: "ran",
      pass: { lane: "hostAudit", trigger: "manual", counters: { audited: 2 } },
    });
  });

  it("answers 503 on /readyz and store_up 0 when the store fails", async () => {
    const { repositories } = await setup();
    const failing = new Proxy(repositories.runtimeState, {
      get: () => async () => {
        throw new Error("connection refused");
      },
    });
    const http = createMaintenanceHttp({
      repositories: { ...repositories, runtimeState: failing },
      requireLeader: false,
    });
    const ready = await http.fetch(new Request("http://localhost/readyz"));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      checks: { store: { ok: false, detail: expect.stringContaining("connection refused") } },
    });
    const text = await (await http.fetch(new Request("http://localhost/metrics"))).text();
    expect(text).toContain("mika_maintenance_store_up 0");
  });
});
