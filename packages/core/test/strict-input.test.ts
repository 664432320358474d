import { describe, expect, it } from "vitest";
import { createMemoryRepositories } from "../../memory/src/index.ts";
import {
  createConsoleLogger,
  createMaintenanceRuntime,
  createManualScheduler,
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  createPortInputValidators,
  describeMaintenanceStatus,
  MikaMaintenanceOptionsError,
  parseIsoDateTime,
  processAccountDeleteRequests,
} from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

function optionsError(work: () => unknown): MikaMaintenanceOptionsError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(MikaMaintenanceOptionsError);
    return error as MikaMaintenanceOptionsError;
  }
  throw new Error("expected an options error");
}

async function rejectedWith(work: () => Promise<unknown>): Promise<MikaMaintenanceOptionsError> {
  const error = await work().then(
    () => new Error("expected an options error"),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(MikaMaintenanceOptionsError);
  return error as MikaMaintenanceOptionsError;
}

describe("parseIsoDateTime", () => {
  it.each([
    ["2026-06-21T10:00:00.000Z", "2026-06-21T10:00:00.000Z"],
    ["2026-06-21T10:00:00Z", "2026-06-21T10:00:00.000Z"],
    ["2026-06-21T10:00Z", "2026-06-21T10:00:00.000Z"],
    ["2026-06-21t10:00:00z", "2026-06-21T10:00:00.000Z"],
    ["2026-06-21T12:00:00+02:00", "2026-06-21T10:00:00.000Z"],
    ["2026-06-21T00:30:00-05:30", "2026-06-21T06:00:00.000Z"],
    ["2026-06-21T10:00:00.123456789Z", "2026-06-21T10:00:00.123Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"],
    ["0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000Z"],
  ])("reads %s as %s", (input, expected) => {
    expect(parseIsoDateTime(input)).toBe(expected);
  });

  it.each([
    ["a bare number", "1"],
    ["a month name", "March 7"],
    ["30 February", "2026-02-30T10:00:00Z"],
    ["29 February of a common year", "2026-02-29T10:00:00Z"],
    ["29 February 1900", "1900-02-29T10:00:00Z"],
    ["31 April", "2026-04-31T10:00:00Z"],
    ["month 13", "2026-13-01T10:00:00Z"],
    ["day 0", "2026-06-00T10:00:00Z"],
    ["hour 24", "2026-06-21T24:00:00Z"],
    ["minute 60", "2026-06-21T10:60:00Z"],
    ["second 60", "2026-06-21T10:00:60Z"],
    ["no zone", "2026-06-21T10:00:00"],
    ["a date only", "2026-06-21"],
    ["an offset without colon", "2026-06-21T10:00:00+0200"],
    ["offset hour 24", "2026-06-21T10:00:00+24:00"],
    ["an RFC 2822 date", "Sun, 21 Jun 2026 10:00:00 GMT"],
    ["a space separator", "2026-06-21 10:00:00Z"],
    ["surrounding space", " 2026-06-21T10:00:00Z"],
    ["an empty string", ""],
  ])("rejects %s", (_label, input) => {
    expect(parseIsoDateTime(input)).toBeNull();
  });

  it("rejects non-strings", () => {
    for (const value of [0, Date.now(), new Date(), null, undefined, {}]) {
      expect(parseIsoDateTime(value)).toBeNull();
    }
  });
});

describe("strict timestamps wherever a time enters", () => {
  it.each([["1"], ["March 7"], ["2026-02-30T10:00:00Z"], ["2026-06-21T10:00:00"]])(
    "runOnce rejects now %j before any task runs",
    async (now) => {
      const calls: string[] = [];
      const runner = createMikaMaintenanceRunner({
        purgeExpiredEphemeralRecords: async () => {
          calls.push("ephemeral");
          return { purged: 0, hasMore: false };
        },
      });
      const error = await rejectedWith(() => runner.runOnce({ now }));
      expect(error.field).toBe("now");
      expect(error.message).toMatch(/zone \(Z or ±hh:mm\)/);
      expect(error.message).toContain(JSON.stringify(now));
      expect(calls).toEqual([]);
    },
  );

  it("reads an offset as the instant it names", async () => {
    const result = await createMikaMaintenanceRunner().runOnce({
      now: "2026-06-21T12:00:00+02:00",
    });
    expect(result.now).toBe(NOW);
  });

  it("rejects a loose now in the outbox runner, before any email is touched", async () => {
    const repositories = createMemoryRepositories();
    await repositories.ops.enqueueEmail({ to: "a@example.com", subject: "s", text: "t", now: NOW });
    const sent: string[] = [];
    const outbox = createMikaEmailOutboxRunner({
      repositories,
      sender: async (message) => {
        sent.push(message.emailId);
      },
    });
    const error = await rejectedWith(() => outbox.runOnce({ now: "2026-06-21" }));
    expect(error.field).toBe("now");
    expect(sent).toEqual([]);
    expect((await repositories.ops.listDueEmails({ now: NOW, limit: 10 })).length).toBe(1);
  });

  it("port validators reject loose timestamps naming the field", () => {
    const validators = createPortInputValidators(
      (field, message) => new MikaMaintenanceOptionsError(field, message),
    );
    for (const value of ["1", "March 7", "2026-02-30T10:00:00Z", "2026-06-21T10:00:00"]) {
      const error = optionsError(() => validators.requireTime(value, "leaseExpiresAt"));
      expect(error.field).toBe("leaseExpiresAt");
      expect(error.message).toMatch(/^leaseExpiresAt must be an ISO-8601 date-time with/);
    }
    expect(validators.requireTime("2026-06-21T12:00:00+02:00", "now")).toBe(NOW);
    expect(optionsError(() => validators.requireDurationMs(1e308, "ttlMs")).message).toMatch(
      /up to 315360000000 \(10 years\)/,
    );
  });

  it("a lease extension is checked field by field, naming the port's id field", () => {
    const validators = createPortInputValidators(
      (field, message) => new MikaMaintenanceOptionsError(field, message),
    );
    const heartbeat = { workflowId: "w1", leaseKey: "k", now: NOW, leaseExpiresAt: NOW };
    expect(validators.requireLeaseExtension(heartbeat, "workflowId")).toEqual({
      id: "w1",
      leaseKey: "k",
      now: NOW,
      leaseExpiresAt: NOW,
    });
    const bad = (change: object) => ({ ...heartbeat, ...change });
    for (const [change, field] of [
      [{ workflowId: "" }, "workflowId"],
      [{ leaseKey: 7 }, "leaseKey"],
      [{ now: "March 7" }, "now"],
      [{ leaseExpiresAt: null }, "leaseExpiresAt"],
    ] as const) {
      const error = optionsError(() => validators.requireLeaseExtension(bad(change), "workflowId"));
      expect(error.field).toBe(field);
    }
  });

  it("a lane pause is checked field by field", () => {
    const validators = createPortInputValidators(
      (field, message) => new MikaMaintenanceOptionsError(field, message),
    );
    const pause = { lane: "emailOutbox", by: "ops", now: NOW, paused: true };
    expect(validators.requireLanePause(pause)).toEqual(pause);
    for (const [change, field] of [
      [{ lane: "" }, "lane"],
      [{ by: null }, "by"],
      [{ now: "March 7" }, "now"],
      [{ paused: "yes" }, "paused"],
    ] as const) {
      const error = optionsError(() => validators.requireLanePause({ ...pause, ...change }));
      expect(error.field).toBe(field);
    }
  });

  it("the manual scheduler rejects a loose start", () => {
    expect(optionsError(() => createManualScheduler({ start: "March 7" })).field).toBe("start");
    expect(createManualScheduler({ start: "2026-06-21T12:00:00+02:00" }).now()).toBe(
      Date.parse(NOW),
    );
  });
});

describe("unknown option keys", () => {
  const repositories = createMemoryRepositories();
  const sender = async () => {};

  it("createMikaEmailOutboxRunner rejects retryDelay, naming it and the allowed keys", () => {
    const error = optionsError(() =>
      createMikaEmailOutboxRunner({ repositories, sender, retryDelay: () => 1 } as never),
    );
    expect(error.field).toBe("retryDelay");
    expect(error.message).toContain('Unknown createMikaEmailOutboxRunner option "retryDelay"');
    expect(error.message).toContain('did you mean "retryDelayMs"?');
    expect(error.message).toContain(
      "Allowed: batchSize, concurrency, createId, leaseMs, maxPerSecond, now, prepare, repositories, retryDelayMs, scheduler, sender.",
    );
  });

  it("createMaintenanceRuntime rejects leaseTTLms", () => {
    const error = optionsError(() =>
      createMaintenanceRuntime({ repositories, logger: false, leaseTTLms: 5 } as never),
    );
    expect(error.field).toBe("leaseTTLms");
    expect(error.message).toContain('did you mean "leaseTtlMs"?');
    expect(error.message).toMatch(/Allowed: .*leaseTtlMs.*shutdownGraceMs/);
  });

  it("createMaintenanceRuntime rejects unknown retention keys", () => {
    const error = optionsError(() =>
      createMaintenanceRuntime({ repositories, logger: false, retention: { runs: 5 } } as never),
    );
    expect(error.field).toBe("retention.runs");
    expect(error.message).toContain("Allowed: heartbeatMs, runsPerLane.");
  });

  it("tick() and run() reject unknown keys before doing anything", async () => {
    const runtime = createMaintenanceRuntime({ repositories, logger: false });
    const tick = await rejectedWith(() => runtime.tick({ budget: 5 } as never));
    expect(tick.field).toBe("budget");
    expect(tick.message).toContain("Allowed: budgetMs, maxPassesPerLane, signal.");
    const run = await rejectedWith(() => runtime.run({ sginal: undefined } as never));
    expect(run.field).toBe("sginal");
    expect(runtime.isLeader()).toBe(false);
  });

  it("createMikaMaintenanceRunner rejects unknown input keys and unknown defaults", () => {
    const input = optionsError(() => createMikaMaintenanceRunner({ repository: {} } as never));
    expect(input.field).toBe("repository");
    expect(input.message).toContain('did you mean "repositories"?');
    const defaults = optionsError(() =>
      createMikaMaintenanceRunner({ defaults: { emailLimt: 5 } } as never),
    );
    expect(defaults.field).toBe("defaults.emailLimt");
    expect(defaults.message).toContain('did you mean "defaults.emailLimit"?');
  });

  it("the outbox runOnce rejects unknown keys", async () => {
    const outbox = createMikaEmailOutboxRunner({ repositories, sender });
    const error = await rejectedWith(() => outbox.runOnce({ limt: 5 } as never));
    expect(error.field).toBe("limt");
    expect(error.message).toContain("Allowed: limit, now, signal.");
  });

  it("describeMaintenanceStatus rejects unknown keys and out-of-range numbers", async () => {
    const repositories = createMemoryRepositories();
    const unknown = await rejectedWith(() =>
      describeMaintenanceStatus({ repositories, now: NOW, heartbeatStale: 5 } as never),
    );
    expect(unknown.field).toBe("heartbeatStale");
    expect(unknown.message).toContain('did you mean "heartbeatStaleMs"?');
    const range = await rejectedWith(() =>
      describeMaintenanceStatus({ repositories, now: NOW, instanceLimit: 1e9 }),
    );
    expect(range.field).toBe("instanceLimit");
    const loose = await rejectedWith(() => describeMaintenanceStatus({ repositories, now: "1" }));
    expect(loose.field).toBe("now");
  });

  it("processAccountDeleteRequests rejects a loose now and unknown keys before reading", async () => {
    const repositories = createMemoryRepositories();
    const loose = await rejectedWith(() =>
      processAccountDeleteRequests(repositories, { now: "March 7", limit: 5 }),
    );
    expect(loose.field).toBe("now");
    const unknown = await rejectedWith(() =>
      processAccountDeleteRequests(repositories, { now: NOW, limit: 5, limt: 1 } as never),
    );
    expect(unknown.field).toBe("limt");
  });

  it("createConsoleLogger rejects unknown keys", () => {
    const error = optionsError(() => createConsoleLogger({ levle: "debug" } as never));
    expect(error.field).toBe("levle");
    expect(error.message).toContain("Allowed: clock, level, write.");
  });

  it("createManualScheduler rejects unknown keys", () => {
    expect(optionsError(() => createManualScheduler({ begin: NOW } as never)).field).toBe("begin");
  });
});

describe("numeric options are range-checked so no later arithmetic overflows", () => {
  it("rawProviderPayloadRetentionDays: 1e308 is rejected with the maximum", async () => {
    const runner = createMikaMaintenanceRunner({ repositories: createMemoryRepositories() });
    const error = await rejectedWith(() =>
      runner.runOnce({ now: NOW, rawProviderPayloadRetentionDays: 1e308 }),
    );
    expect(error.field).toBe("rawProviderPayloadRetentionDays");
    expect(error.message).toContain("from 0 to 36500");
    const atMax = await runner.runOnce({ now: NOW, rawProviderPayloadRetentionDays: 36_500 });
    expect(atMax.rawProviderPayloads.status).toBe("completed");
  });

  it.each([
    ["batchSize", { batchSize: 1e9 }, "from 1 to 100000"],
    ["leaseMs", { leaseMs: 1e308 }, "from 1 to 86400000"],
    ["leaseMs", { leaseMs: 0 }, "from 1 to 86400000"],
  ])("createMikaEmailOutboxRunner %s", (field, extra, range) => {
    const error = optionsError(() =>
      createMikaEmailOutboxRunner({
        repositories: createMemoryRepositories(),
        sender: async () => {},
        ...extra,
      }),
    );
    expect(error.field).toBe(field);
    expect(error.message).toContain(range);
  });

  it("an outbox run limit above the maximum is rejected", async () => {
    const outbox = createMikaEmailOutboxRunner({
      repositories: createMemoryRepositories(),
      sender: async () => {},
    });
    const error = await rejectedWith(() => outbox.runOnce({ now: NOW, limit: 1e12 }));
    expect(error.field).toBe("limit");
  });

  it("a host retry delay of Infinity or NaN still records the failure with a valid time", async () => {
    const repositories = createMemoryRepositories();
    await repositories.ops.enqueueEmail({ to: "a@example.com", subject: "s", text: "t", now: NOW });
    await repositories.ops.enqueueEmail({ to: "b@example.com", subject: "s", text: "t", now: NOW });
    let answer = Number.POSITIVE_INFINITY;
    const outbox = createMikaEmailOutboxRunner({
      repositories,
      sender: async () => {
        throw new Error("provider down");
      },
      retryDelayMs: () => {
        const value = answer;
        answer = Number.NaN;
        return value;
      },
    });
    const result = await outbox.runOnce({ now: NOW });
    expect(result.failed).toBe(2);
    const [first, second] = result.items;
    expect(first?.nextAttemptAt).toBe("2036-06-18T10:00:00.000Z");
    expect(second?.nextAttemptAt).toBe("2026-06-21T10:01:00.000Z");
  });
});
