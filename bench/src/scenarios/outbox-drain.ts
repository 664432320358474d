import { spawn } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, progress, series, type Target, targetOn } from "../harness.ts";
import type { OutboxChildInput, OutboxChildOutput } from "../outbox-child.ts";
import { queuedEmails } from "../queued-emails.ts";
import { BENCH_NOW, HOUR, type Scenario, scaled, shift } from "../scenario.ts";
import type { SenderOnlyInput, SenderOnlyOutput } from "../sender-only-child.ts";

const CHILD = fileURLToPath(new URL("../outbox-child.ts", import.meta.url));
const SENDER_ONLY_CHILD = fileURLToPath(new URL("../sender-only-child.ts", import.meta.url));
const SEND_MS = 20;
const WINDOW_MS = 500;
const MAX_ROUND_TRIPS = 1.2;

/** One measured drain: how many runner processes, at which concurrency and rate cap. */
interface DrainPlan {
  key: string;
  label: string;
  processes: number;
  concurrency: number;
  maxPerSecond?: number;
  emails: number;
}

/** What one drain measured. */
interface Drain {
  plan: DrainPlan;
  totalMs: number;
  rate: number;
  perWindow: number[];
  sends: number;
  duplicates: number;
  sentRows: number;
  leaseMissed: number;
  leaseLost: number;
  roundTrips: number;
  load: number;
  /** The same sends with no database, measured right after the drain: the machine's ceiling. */
  ceiling: number;
}

/**
 * Outbox drain with a provider that takes 20 ms per send: one runner process at concurrency
 * 1, 8 and 32, four runner processes at concurrency 8, and both with `maxPerSecond: 50`.
 * Every runner is its own process on its own connection; round trips are counted in the
 * driver of each process.
 */
export const outboxDrainScenario: Scenario = {
  key: "outbox",
  title: "Outbox drain: claims, sends in flight, runner processes",
  async run(context) {
    const plans: DrainPlan[] = [
      {
        key: "outbox-c1",
        label: "1 runner, concurrency 1",
        processes: 1,
        concurrency: 1,
        emails: scaled(context, 150, 20),
      },
      {
        key: "outbox-c8",
        label: "1 runner, concurrency 8",
        processes: 1,
        concurrency: 8,
        emails: scaled(context, 1_600, 100),
      },
      {
        key: "outbox-c32",
        label: "1 runner, concurrency 32",
        processes: 1,
        concurrency: 32,
        emails: scaled(context, 3_200, 200),
      },
      {
        key: "outbox-4proc",
        label: "4 runner processes, concurrency 8",
        processes: 4,
        concurrency: 8,
        emails: scaled(context, 6_400, 400),
      },
      {
        key: "outbox-rate50",
        label: "1 runner, concurrency 8, maxPerSecond 50",
        processes: 1,
        concurrency: 8,
        maxPerSecond: 50,
        emails: scaled(context, 250, 30),
      },
      {
        key: "outbox-4proc-rate50",
        label: "4 runner processes, concurrency 8, maxPerSecond 50 each",
        processes: 4,
        concurrency: 8,
        maxPerSecond: 50,
        emails: scaled(context, 800, 60),
      },
    ];
    const store = await context.openStore();
    progress("  warm-up: 200 emails, 1 runner at concurrency 8");
    await drain(store, {
      key: "warm",
      label: "warm-up",
      processes: 1,
      concurrency: 8,
      emails: 200,
    });
    const drains = new Map<string, Drain>();
    for (const plan of plans) {
      progress(`  ${plan.label}: ${plan.emails} emails`);
      const measured = await drain(store, plan);
      drains.set(plan.key, measured);
      progress(
        `  ${plan.label}: ${measured.rate.toFixed(0)} emails/s, ${(measured.roundTrips / plan.emails).toFixed(2)} round trips/email, ${measured.duplicates} duplicates, load ${measured.load.toFixed(1)}`,
      );
    }
    const one = drains.get("outbox-c8")!;
    return plans.map((plan) => toResult(context.adapter, drains.get(plan.key)!, one));
  },
};

function ideal(plan: DrainPlan): number {
  const perProcess = plan.maxPerSecond ?? (plan.concurrency * 1000) / SEND_MS;
  return perProcess * plan.processes;
}

function cleanOf(run: Drain): { ok: boolean; text: string } {
  const perEmail = run.roundTrips / run.plan.emails;
  const ok =
    run.duplicates === 0 &&
    run.leaseMissed === 0 &&
    run.sentRows === run.plan.emails &&
    perEmail <= MAX_ROUND_TRIPS;
  return { ok, text: `≤ ${MAX_ROUND_TRIPS} round trips/email, 0 lease misses, 0 duplicates` };
}

function toResult(adapter: string, run: Drain, one: Drain): BenchResult {
  const { plan } = run;
  const clean = cleanOf(run);
  const scenario = `outbox: ${plan.label} (${plan.emails.toLocaleString("en-US")} emails, sender ${SEND_MS} ms)`;
  const subject = series(plan.label, "emails/s", true, run.perWindow);
  let baseline = series(
    `ideal ${plan.processes} × ${plan.maxPerSecond === undefined ? `${plan.concurrency} / ${SEND_MS} ms` : `${plan.maxPerSecond}/s`}`,
    "emails/s",
    true,
    [ideal(plan)],
  );
  let ratio = run.rate / ideal(plan);
  let target: Target;
  if (plan.key === "outbox-4proc") {
    baseline = series("1 runner, concurrency 8", "emails/s", true, [one.rate]);
    ratio = run.rate / one.rate;
    target = targetOn(ratio, "≥", 3.5, `≥ 3.5× one process; ${clean.text}`, clean.ok);
  } else if (plan.maxPerSecond !== undefined) {
    const off = Math.abs(ratio - 1);
    target = {
      description: `rate within ±10 % of the cap; ${clean.text}`,
      met: off <= 0.1 && clean.ok,
      margin: 0.1 - off,
    };
  } else if (plan.key === "outbox-c8") {
    target = targetOn(ratio, "≥", 0.8, `≥ 0.8× ideal; ${clean.text}`, clean.ok);
  } else {
    const perEmail = run.roundTrips / plan.emails;
    target = targetOn(perEmail, "≤", MAX_ROUND_TRIPS, clean.text, clean.ok);
  }
  return {
    key: plan.key,
    scenario,
    adapter,
    subject,
    baseline,
    ratio,
    target,
    notes: [
      `${plan.emails} emails in ${(run.totalMs / 1000).toFixed(2)} s: ${run.rate.toFixed(1)} emails/s overall, ${(ratio).toFixed(3)}× ${plan.key === "outbox-4proc" ? "one process" : "ideal"}; spread = ${WINDOW_MS} ms windows`,
      `${(run.roundTrips / plan.emails).toFixed(3)} round trips/email (${run.roundTrips} driver calls over ${plan.processes} process${plan.processes > 1 ? "es" : ""})`,
      `${run.sends} sends, ${run.duplicates} duplicates, ${run.sentRows} rows sent, ${(run.leaseMissed / plan.emails).toFixed(3)} lease misses/email, ${run.leaseLost} leases lost`,
      plan.maxPerSecond === undefined
        ? `machine ceiling right after: the same sends in ${plan.processes} process${plan.processes > 1 ? "es" : ""} with no database ran at ${run.ceiling.toFixed(1)} emails/s (${(run.ceiling / ideal(plan)).toFixed(3)}× ideal); the drain reached ${(run.rate / run.ceiling).toFixed(3)}× of that`
        : "machine ceiling: the cap itself",
      `1-minute load average at the end of this drain: ${run.load.toFixed(1)} on ${os.availableParallelism()} cores`,
    ],
  };
}

async function drain(store: BenchStore, plan: DrainPlan): Promise<Drain> {
  await store.clear(["email_outbox"]);
  await store.insertSeries(
    queuedEmails(plan.emails, { sql: `'${plan.key}-' || (10000000 + i)` }, shift(BENCH_NOW, -HOUR)),
  );
  await store.maintain(["email_outbox"]);

  const input: OutboxChildInput = {
    target: store.target,
    now: BENCH_NOW,
    concurrency: plan.concurrency,
    sendMs: SEND_MS,
    ...(plan.maxPerSecond === undefined ? {} : { maxPerSecond: plan.maxPerSecond }),
  };
  const children = Array.from({ length: plan.processes }, () =>
    startChild<OutboxChildOutput>(CHILD, input),
  );
  await Promise.all(children.map((child) => child.ready));
  for (const child of children) child.go();
  const outputs = await Promise.all(children.map((child) => child.output));

  const startedAt = Math.min(...outputs.map((output) => output.startedAt));
  const finishedAt = Math.max(...outputs.map((output) => output.finishedAt));
  const totalMs = finishedAt - startedAt;
  const counts = new Map<string, number>();
  for (const id of outputs.flatMap((output) => output.sent))
    counts.set(id, (counts.get(id) ?? 0) + 1);
  const sends = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return {
    plan,
    totalMs,
    rate: (plan.emails * 1000) / totalMs,
    perWindow: windows(
      outputs.flatMap((output) => output.acceptedAt),
      startedAt,
      totalMs,
    ),
    sends,
    duplicates: sends - counts.size,
    sentRows: await store.count("email_outbox", "status = 'sent'"),
    leaseMissed: outputs.reduce((sum, output) => sum + output.leaseMissed, 0),
    leaseLost: outputs.reduce((sum, output) => sum + output.leaseLost, 0),
    roundTrips: outputs.reduce((sum, output) => sum + output.roundTrips, 0),
    load: os.loadavg()[0] ?? 0,
    ceiling: plan.maxPerSecond === undefined ? await senderOnly(plan) : ideal(plan),
  };
}

/** Rate of the same sends in the same number of processes without any database work. */
async function senderOnly(plan: DrainPlan): Promise<number> {
  const input: SenderOnlyInput = {
    emails: Math.ceil(plan.emails / plan.processes),
    concurrency: plan.concurrency,
    sendMs: SEND_MS,
  };
  const children = Array.from({ length: plan.processes }, () =>
    startChild<SenderOnlyOutput>(SENDER_ONLY_CHILD, input),
  );
  await Promise.all(children.map((child) => child.ready));
  for (const child of children) child.go();
  const outputs = await Promise.all(children.map((child) => child.output));
  const startedAt = Math.min(...outputs.map((output) => output.startedAt));
  const finishedAt = Math.max(...outputs.map((output) => output.finishedAt));
  return (input.emails * plan.processes * 1000) / (finishedAt - startedAt);
}

function startChild<Output>(script: string, input: unknown) {
  const child = spawn(process.execPath, [...process.execArgv, script, JSON.stringify(input)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const output = new Promise<Output>((resolve, reject) => {
    let last = "";
    lines.on("line", (line) => {
      if (line === "ready") markReady();
      else last = line;
    });
    child.on("exit", (code) => {
      if (code === 0) resolve(JSON.parse(last) as Output);
      else reject(new Error(`a bench child (${script}) exited with code ${code}`));
    });
  });
  return { ready, output, go: () => child.stdin.write("go\n") };
}

function windows(times: number[], started: number, totalMs: number): number[] {
  const full = Math.max(1, Math.floor(totalMs / WINDOW_MS));
  const counts = new Array<number>(full).fill(0);
  for (const time of times) {
    const index = Math.floor((time - started) / WINDOW_MS);
    if (index < full) counts[index]! += 1;
  }
  return counts.map((n) => n / (WINDOW_MS / 1000));
}
