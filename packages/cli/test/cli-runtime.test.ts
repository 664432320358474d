import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./support/backend-suite.ts";
import { type CliBackend, prepareStore } from "./support/backends.ts";
import { json, type LogLine, type RunningCli, runCli, startCli } from "./support/cli-process.ts";

/** Long enough that a loaded CI machine renews in time; short enough to test takeover. */
const TTL_MS = 6_000;

describe.each(BACKENDS)("mika-maintenance run on %s", (name, create) => {
  const backends: CliBackend[] = [];
  const processes: RunningCli[] = [];

  async function fresh(): Promise<CliBackend> {
    const backend = await create(`run_${name}`);
    backends.push(backend);
    await prepareStore(backend);
    return backend;
  }

  function start(backend: CliBackend, instanceId: string): RunningCli {
    const running = startCli(
      [
        "run",
        ...backend.flags,
        "--instance-id",
        instanceId,
        "--lease-ttl",
        String(TTL_MS),
        "--heartbeat",
        "1000",
        // Idle passes log at debug; these tests wait on them.
        "--log-level",
        "debug",
      ],
      { cwd: backend.dir },
    );
    processes.push(running);
    return running;
  }

  const acquired = (line: LogLine) => line.msg === "leadership.acquired";
  const passOf = (lane: string) => (line: LogLine) =>
    line.msg === "maintenance pass" && line.lane === lane;

  afterAll(async () => {
    for (const running of processes) {
      if (running.child.exitCode === null && running.child.signalCode === null)
        running.child.kill("SIGKILL");
    }
    await Promise.all(processes.map((running) => running.exited));
    await Promise.all(backends.map((backend) => backend.dispose()));
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "shuts down cleanly on %s: resigns, stops, exits 0",
    async (signal) => {
      const backend = await fresh();
      const leader = start(backend, `leader-${signal.toLowerCase()}`);
      await leader.waitFor(acquired, "leadership acquired");
      await leader.waitFor(passOf("stockReservations"), "a stockReservations pass");

      leader.child.kill(signal);
      const { code } = await leader.exited;

      expect(code).toBe(0);
      const messages = leader.lines.map((line) => line.msg);
      const requested = messages.indexOf("shutdown requested");
      expect(requested).toBeGreaterThan(0);
      expect(messages.slice(requested)).toEqual(
        expect.arrayContaining([
          "leadership.resigned",
          "runtime.stopped",
          "maintenance runtime stopped",
        ]),
      );
      expect(
        messages.slice(requested).filter((msg) => msg === "maintenance pass").length,
      ).toBeLessThanOrEqual(8);

      const status = json<{
        leader: { live: boolean; holder: string };
        instances: { instanceId: string; isLeader: boolean }[];
      }>(await runCli(["status", "--json", ...backend.flags], { cwd: backend.dir }));
      expect(status.leader).toMatchObject({
        holder: `leader-${signal.toLowerCase()}`,
        live: false,
      });
      expect(
        status.instances.find((instance) => instance.instanceId.startsWith("leader-"))?.isLeader,
      ).toBe(false);
    },
  );

  /** `a` leads; `b` starts, campaigns, loses and follows while `a` keeps running passes. */
  async function leaderAndFollower(): Promise<{ a: RunningCli; b: RunningCli }> {
    const backend = await fresh();
    const a = start(backend, "a");
    await a.waitFor(acquired, "a leads");
    const b = start(backend, "b");
    const started = await b.waitFor(
      (line) => line.msg === "maintenance runtime started",
      "b started",
    );
    await a.waitFor(
      (line) =>
        passOf("acpSessions")(line) && Date.parse(line.time) > Date.parse(started.time) + 1_000,
      "a runs a pass while b follows",
    );
    expect(b.lines.some(acquired)).toBe(false);
    return { a, b };
  }

  it("hands over at once when the leader resigns on SIGTERM", async () => {
    const { a, b } = await leaderAndFollower();
    // The follower says whom it waits for, once, not on every poll.
    const waiting = b.lines.filter((line) => line.msg === "leadership.waiting");
    expect(waiting).toMatchObject([{ leader: "a", term: 1, level: "info" }]);

    a.child.kill("SIGTERM");
    const resigned = await a.waitFor((line) => line.msg === "leadership.resigned", "a resigned");
    const takeover = await b.waitFor(acquired, "b leads");
    await a.exited;

    const handoverMs = Date.parse(String(takeover.at)) - Date.parse(String(resigned.at));
    console.log(
      `[takeover] ${name}: leader resigned (SIGTERM) → follower leads in ${handoverMs} ms`,
    );
    expect(takeover.term).toBe(2);
    // A follower retries every min(renewal, 2 s) = 2 s here.
    expect(handoverMs).toBeLessThanOrEqual(2_000 + 1_000);
    b.child.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
  });

  it("lets a follower take over within one TTL when the leader is killed", async () => {
    const { a, b } = await leaderAndFollower();

    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    const takeover = await b.waitFor(acquired, "b leads");
    const takeoverMs = Date.parse(String(takeover.at)) - killedAt;
    console.log(
      `[takeover] ${name}: leader killed (SIGKILL) → follower leads in ${takeoverMs} ms (lease TTL ${TTL_MS} ms)`,
    );

    expect(takeover.term).toBe(2);
    expect(takeoverMs).toBeLessThanOrEqual(TTL_MS + 1_000);
    await b.waitFor(passOf("stockReservations"), "b runs the lanes");
    b.child.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
  });
});
