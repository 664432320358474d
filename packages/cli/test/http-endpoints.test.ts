import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./support/backend-suite.ts";
import {
  type CliBackend,
  POSTGRES_URL,
  postgresBackend,
  prepareStore,
} from "./support/backends.ts";
import { type LogLine, type RunningCli, runCli, startCli } from "./support/cli-process.ts";
import { seedSweepable } from "./support/seed.ts";
import { startTcpProxy } from "./support/tcp-proxy.ts";

const backends: CliBackend[] = [];
const processes: RunningCli[] = [];

afterAll(async () => {
  for (const running of processes) {
    if (running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill("SIGKILL");
    }
  }
  await Promise.all(processes.map((running) => running.exited));
  await Promise.all(backends.map((backend) => backend.dispose()));
});

async function migrated(backend: CliBackend): Promise<CliBackend> {
  backends.push(backend);
  await prepareStore(backend);
  return backend;
}

function startRun(backend: CliBackend, flags: string[], extra: string[] = []): RunningCli {
  const running = startCli(
    [
      "run",
      ...flags,
      "--listen",
      "127.0.0.1:0",
      "--interval",
      "stockReservations=300",
      "--heartbeat",
      "500",
      ...extra,
    ],
    { cwd: backend.dir },
  );
  processes.push(running);
  return running;
}

async function listening(running: RunningCli): Promise<string> {
  const line = await running.waitFor(
    (candidate) => candidate.msg === "http endpoints listening",
    "http endpoints listening",
  );
  return String(line.url);
}

/** The value of one sample line of the exposition text, or 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const released = (count: number) => (line: LogLine) =>
  line.msg === "maintenance pass" &&
  line.lane === "stockReservations" &&
  (line.counters as Record<string, number>)?.reservationsReleased === count;

describe.each(BACKENDS)("run --listen on %s", (name, create) => {
  it("serves /healthz, /readyz and /metrics whose values move while run works", async () => {
    const backend = await migrated(await create(`http_${name}`));
    const running = startRun(backend, backend.flags);
    const url = await listening(running);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await running.waitFor((line) => line.msg === "leadership.acquired", "leadership");
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { leader: { ok: true, detail: "this process leads" } },
    });
    expect(ready.status).toBe(200);

    const before = await (await fetch(`${url}/metrics`)).text();
    expect(before).toContain("# TYPE mika_maintenance_pass_duration_seconds histogram");
    expect(sample(before, "mika_maintenance_leader")).toBe(1);
    const movedSeries =
      'mika_maintenance_items_moved_total{lane="stockReservations",action="released"}';
    const passesSeries =
      'mika_maintenance_passes_total{lane="stockReservations",status="completed"}';
    expect(sample(before, movedSeries)).toBe(0);

    const store = backend.open();
    try {
      await seedSweepable(store);
    } finally {
      await store.close();
    }
    await running.waitFor(released(3), "the seeded reservations released");
    const after = await (await fetch(`${url}/metrics`)).text();
    expect(sample(after, movedSeries)).toBe(3);
    expect(sample(after, passesSeries)).toBeGreaterThan(sample(before, passesSeries));
    expect(
      sample(
        after,
        'mika_maintenance_pass_duration_seconds_count{lane="stockReservations",status="completed"}',
      ),
    ).toBe(sample(after, passesSeries));
    expect(sample(after, 'mika_maintenance_backlog_items{backlog="expiredReservations"}')).toBe(0);
    // The run has no sender, so the queued emails stay due and show as backlog with an age.
    expect(sample(after, 'mika_maintenance_backlog_items{backlog="dueEmails"}')).toBe(5);
    expect(
      sample(after, 'mika_maintenance_backlog_oldest_age_seconds{backlog="dueEmails"}'),
    ).toBeGreaterThanOrEqual(120);
    expect(sample(after, "mika_maintenance_leader_present")).toBe(1);

    running.child.kill("SIGTERM");
    expect((await running.exited).code).toBe(0);
  });
});

describe("run --listen when the store goes away", () => {
  it("answers 503 on /readyz naming the store, while /healthz stays 200", async () => {
    const backend = await migrated(await postgresBackend("http_down"));
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const schemaFlag = backend.flags.slice(backend.flags.indexOf("--schema"));
    const running = startRun(backend, ["--database-url", viaProxy.toString(), ...schemaFlag]);
    const url = await listening(running);
    await running.waitFor((line) => line.msg === "leadership.acquired", "leadership");
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await proxy.cut();
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { ready: boolean; checks: { store: { detail: string } } };
    expect(body.ready).toBe(false);
    expect(body.checks.store.detail).toMatch(/^the store did not answer: /);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, "mika_maintenance_store_up")).toBe(0);

    running.child.kill("SIGTERM");
    await running.exited;
  });
});

describe("--listen and --admin-token input", () => {
  it("refuses a malformed address and a short token, naming the flag, before opening anything", async () => {
    const backend = await migrated(await BACKENDS[0][1]());
    const [address, token] = await Promise.all([
      runCli(["run", ...backend.flags, "--listen", "localhost"], { cwd: backend.dir }),
      runCli(["dashboard", ...backend.flags, "--admin-token", "short"], { cwd: backend.dir }),
    ]);
    expect(address.code).toBe(2);
    expect(address.stderr).toMatch(
      /^mika-maintenance: --listen must be host:port \(e\.g\. 127\.0\.0\.1:9464/,
    );
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(
      /--admin-token \(or MIKA_ADMIN_TOKEN\) must be at least 16 characters; got 5\./,
    );
    expect(token.stderr).not.toContain("short");
  });
});
