import {
  createMikaEmailOutboxRunner,
  type MikaOutgoingEmail,
  type MikaStorageAdapter,
} from "@mika-maintenance/core";
import type { BenchStore } from "../adapters/store.ts";
import { type BenchResult, delay, progress, series, targetOn, timed } from "../harness.ts";
import { BENCH_NOW, HOUR, type Scenario, scaled, shift } from "../scenario.ts";

const SEND_MS = 20;
const RUNNERS = 4;
const WINDOW_MS = 1000;

interface Drain {
  totalMs: number;
  /** Emails accepted by the provider in each full one-second window. */
  perWindow: number[];
  sends: number;
  duplicates: number;
  sentRows: number;
  leaseMissed: number;
}

/** Outbox drain with a 20 ms provider: four runners on their own connections vs one. */
export const outboxDrainScenario: Scenario = {
  key: "outbox",
  title: "Outbox drain: 4 concurrent runners vs 1",
  async run(context) {
    const emails = scaled(context, 2000, 200);
    const store = await context.openStore();
    const adapters = [store.adapter];
    for (let n = 1; n < RUNNERS; n++) adapters.push(await store.openAdapter());
    try {
      progress("  warm-up: 100 emails, 4 runners");
      await drain(store, adapters, "warm", 100);
      progress(
        `  draining ${emails} emails with 1 runner (≈ ${((emails * SEND_MS) / 1000).toFixed(0)} s)`,
      );
      const one = await drain(store, adapters.slice(0, 1), "one", emails);
      progress(`  1 runner: ${(one.totalMs / 1000).toFixed(1)} s`);
      progress(`  draining ${emails} emails with ${RUNNERS} runners`);
      const four = await drain(store, adapters, "four", emails);
      progress(`  ${RUNNERS} runners: ${(four.totalMs / 1000).toFixed(1)} s`);
      const subject = series(`${RUNNERS} runners`, "emails/s", true, four.perWindow);
      const baseline = series("1 runner", "emails/s", true, one.perWindow);
      const ratio = one.totalMs / four.totalMs;
      const clean = [one, four].every((run) => run.duplicates === 0 && run.sentRows === emails);
      const result: BenchResult = {
        key: "outbox",
        scenario: `outbox drain (${emails.toLocaleString("en-US")} emails, sender waits ${SEND_MS} ms)`,
        adapter: context.adapter,
        subject,
        baseline,
        ratio,
        target: targetOn(ratio, "≥", 3, "≥ 3× one runner, zero duplicates", clean),
        notes: [
          `ratio of total drain times: ${(one.totalMs / 1000).toFixed(1)} s / ${(four.totalMs / 1000).toFixed(1)} s; spread = per-second windows`,
          `1 runner: ${describeDrain(one)}`,
          `${RUNNERS} runners: ${describeDrain(four)}`,
        ],
      };
      return [result];
    } finally {
      for (const adapter of adapters.slice(1)) await adapter.close();
    }
  },
};

async function drain(
  store: BenchStore,
  adapters: MikaStorageAdapter[],
  prefix: string,
  count: number,
): Promise<Drain> {
  await store.clear(["email_outbox"]);
  await store.insertSeries({
    table: "email_outbox",
    count,
    columns: {
      id: { sql: `'${prefix}-' || i` },
      status: "queued",
      to_address: { sql: "'buyer' || i || '@example.com'" },
      subject: "Your order",
      text_body: "Thanks for your order.",
      html_body: null,
      customer_id: { sql: "'cus-' || i" },
      user_id: null,
      email_hash: null,
      metadata: { json: {} },
      attempt_count: 0,
      max_attempts: 5,
      next_attempt_at: null,
      lease_key: null,
      leased_at: null,
      lease_expires_at: null,
      last_error: null,
      sent_at: null,
      provider_message_id: null,
      skip_reason: null,
      redacted_at: null,
      created_at: { at: shift(BENCH_NOW, -HOUR), stepMs: 1 },
      updated_at: { at: shift(BENCH_NOW, -HOUR) },
    },
  });
  await store.maintain(["email_outbox"]);

  const sendCounts = new Map<string, number>();
  const acceptedAt: number[] = [];
  const sender = async (message: MikaOutgoingEmail) => {
    sendCounts.set(message.idempotencyKey, (sendCounts.get(message.idempotencyKey) ?? 0) + 1);
    await delay(SEND_MS);
    acceptedAt.push(performance.now());
    return { providerMessageId: `pm-${message.emailId}` };
  };
  let leaseMissed = 0;
  const started = performance.now();
  const { ms } = await timed(() =>
    Promise.all(
      adapters.map(async (adapter) => {
        const runner = createMikaEmailOutboxRunner({ repositories: { ops: adapter.ops }, sender });
        for (;;) {
          const result = await runner.runOnce({ now: BENCH_NOW });
          leaseMissed += result.leaseMissed;
          if (result.scanned === 0) break;
        }
      }),
    ),
  );
  const sends = [...sendCounts.values()].reduce((sum, n) => sum + n, 0);
  return {
    totalMs: ms,
    perWindow: windows(acceptedAt, started, ms),
    sends,
    duplicates: sends - sendCounts.size,
    sentRows: await store.count("email_outbox", "status = 'sent'"),
    leaseMissed,
  };
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

function describeDrain(run: Drain): string {
  return `${run.sends} sends, ${run.duplicates} duplicates, ${run.sentRows} rows sent, ${run.leaseMissed} lease misses`;
}
