import path from "node:path";
import {
  countersOf,
  createMikaMaintenanceRunner,
  describeMaintenanceStatus,
  errorMessage,
  hasFailedTask,
  MIKA_MAINTENANCE_TASKS,
  type MikaMaintenanceSummary,
  recordMaintenanceRun,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { Option } from "commander";
import { createMailboxSender } from "../demo/demo-sender.ts";
import { createDemoWebhookReplay } from "../demo/demo-webhook-replay.ts";
import { createProgress } from "../demo/progress.ts";
import { type MikaDemoSize, seedDemo } from "../demo/seed-demo.ts";
import { EXIT, MikaCliInputError } from "../errors.ts";
import type { MikaCliIo } from "../io.ts";
import { describeMoved, movedCount } from "../render/format.ts";
import { renderStatus } from "../render/status.ts";
import { renderSweep } from "../render/sweep.ts";
import { renderTable } from "../render/table.ts";
import { databaseTarget, type MikaGlobalFlags, withStore } from "../setup/command-context.ts";
import { countFlag } from "../setup/flags.ts";
import { defaultInstanceId } from "../setup/instance-id.ts";
import { runnerInputFor } from "../setup/runner-input.ts";
import { flagsOf, type MikaCommandRegistration } from "./command-kit.ts";
import { sweepOf } from "./once.ts";

/** Registers `demo`. */
export const registerDemoCommand: MikaCommandRegistration = (program, cli) => {
  program
    .command("demo")
    .description("seed an embedded libSQL file with a shop's state, sweep it, and show what moved")
    .addOption(
      new Option("--mailbox <file>", "where the demo sender delivers mail")
        .default(".mika/demo-mailbox.jsonl")
        .env("MIKA_DEMO_MAILBOX"),
    )
    .addOption(
      new Option("--emails <count>", "queued emails to seed (0 to 100000)")
        .default("300")
        .env("MIKA_DEMO_EMAILS"),
    )
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      const emails = countFlag("--emails", flags.emails, 0, 100_000, "emails");
      cli.setExitCode(
        await demoCommand(cli.io, {
          ...flags,
          mailbox: String(flags.mailbox),
          instanceId: `demo:${defaultInstanceId()}`,
          size: { emails, reservations: 96, ephemeral: 400, webhooks: 90, acpSessions: 40 },
        }),
      );
    });
};

/** Small batches, so the sweeps show bounded work and `hasMore` catching up. */
const DEMO_LIMITS = {
  emailLimit: 100,
  stockReservationLimit: 40,
  ephemeralRecordLimit: 150,
  rawProviderPayloadLimit: 40,
  acpSessionLimit: 20,
};
const MAX_SWEEPS = 12;

/**
 * `demo`: creates or reuses an embedded libSQL file, migrates it, seeds a shop's worth of
 * time-based state, sweeps until nothing is left to move (printing what moved per task), then
 * shows `status`. Emails go to a local mailbox file through the built-in demo sender.
 */
export async function demoCommand(
  io: MikaCliIo,
  flags: MikaGlobalFlags & { mailbox: string; size: MikaDemoSize; instanceId: string },
): Promise<number> {
  const target = databaseTarget(io, flags);
  if (target.adapter !== "libsql" || !target.file) {
    throw new MikaCliInputError(
      `demo seeds an embedded libSQL file; --database-url must be file:<path>, got ${target.display}.`,
    );
  }
  if (flags.config) {
    throw new MikaCliInputError("demo brings its own sender and needs no --config; leave it out.");
  }
  const mailbox = path.resolve(io.cwd, flags.mailbox);
  const human = flags.json !== true;
  const say = (text: string) => {
    if (human) io.out(text);
  };
  return withStore(
    io,
    // The demo always names its file: the default is its own to create.
    { ...flags, create: true },
    { migrates: true, requireMigrated: false, json: !human },
    async (context) => {
      const { store } = context;
      say(`mika-maintenance demo: embedded libSQL database ${target.display}`);
      const before = await store.migrationStatus();
      const after = before.pending.length ? await store.migrate() : before;
      say(
        before.pending.length
          ? `Schema: applied ${before.pending.length} migration(s): ${before.pending.join(", ")}.`
          : `Schema: up to date (${after.applied.length} migration(s)); reusing the existing file.`,
      );

      say("Seeding realistic shop state:");
      const seeded = await seedDemo(store, flags.size, createProgress(io));
      say(
        [
          `Seeded (run ${seeded.run}): ${seeded.emails} queued emails,`,
          `${seeded.reservations} stock reservations across ${seeded.stockItems} items (${seeded.expiredReservations} expired but still active),`,
          `${seeded.ephemeral} tokens/nonces/locks/rate limits (${seeded.expiredEphemeral} expired),`,
          `${seeded.webhooks} webhook events (${seeded.oldWebhooks} raw payloads past 14-day retention),`,
          `${seeded.acpSessions} ACP sessions (${seeded.expiredAcpSessions} past TTL, ${seeded.purgeableAcpSessions} terminal past retention),`,
          `${seeded.stuckEmails} emails and ${seeded.stuckWorkflows} workflows whose worker died on the last attempt,`,
          "2 account-delete requests (Brook's is blocked by an active subscription).",
        ].join("\n  "),
      );

      const sender = createMailboxSender(mailbox);
      const runner = createMikaMaintenanceRunner({
        ...runnerInputFor(store, {
          sender: sender.sender,
          api: {
            admin: {
              webhookReplay: createDemoWebhookReplay(
                path.join(path.dirname(mailbox), "demo-webhook-replays.jsonl"),
              ),
            },
          },
        }),
        defaults: DEMO_LIMITS,
      });
      const sweeps: MikaMaintenanceSummary[] = [];
      let failed = false;
      for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
        const result = await runner.runOnce();
        failed ||= hasFailedTask(result);
        try {
          await recordMaintenanceRun(store.runtimeState, result, { instanceId: flags.instanceId });
        } catch (error) {
          io.err(
            `mika-maintenance: could not record sweep ${sweep} for status: ${errorMessage(error)}`,
          );
        }
        sweeps.push(summarizeMaintenanceResult(result));
        const moved = MIKA_MAINTENANCE_TASKS.reduce((sum, task) => {
          const outcome = result[task.key];
          return (
            sum + (outcome.status === "completed" ? movedCount(countersOf(outcome.result)) : 0)
          );
        }, 0);
        if (moved === 0) {
          say(`\nSweep ${sweep}: nothing left to move; every backlog is drained.`);
          break;
        }
        say(`\nSweep ${sweep} at ${result.now}: ${moved} rows moved`);
        say(renderSweep(sweepOf(result), { color: context.color, columns: io.columns }));
      }

      say(
        `\nDemo mailbox: ${path.relative(io.cwd, mailbox) || mailbox} (${sender.delivered()} messages delivered by the demo sender in this run)`,
      );
      const status = await describeMaintenanceStatus({ repositories: store });
      if (human) {
        io.out("\n$ mika-maintenance status");
        io.out(renderStatus(status, { color: context.color, columns: io.columns }));
        io.out(
          `\nWhat moved per task over ${sweeps.length} sweeps:\n${renderTable(["task", "sweeps with work", "moved in total"], totals(sweeps), { color: context.color, columns: io.columns })}` +
            "\nLeader and heartbeats appear in status once `mika-maintenance run` is running.",
        );
      } else {
        io.out(
          JSON.stringify({ database: target.display, mailbox, seeded, sweeps, status }, null, 2),
        );
      }
      return failed ? EXIT.taskFailed : EXIT.ok;
    },
  );
}

/** Per task: how many sweeps moved rows, and every counter summed over the sweeps. */
function totals(sweeps: MikaMaintenanceSummary[]): string[][] {
  return MIKA_MAINTENANCE_TASKS.map((task) => {
    const summed: Record<string, number> = {};
    let busy = 0;
    for (const sweep of sweeps) {
      const summary = sweep.tasks[task.key];
      if (summary?.status === "failed") return [task.key, "-", `FAILED: ${summary.error ?? ""}`];
      if (summary?.status === "skipped") return [task.key, "-", `skipped: ${summary.reason ?? ""}`];
      const counters = summary?.counters ?? {};
      if (movedCount(counters) > 0) busy += 1;
      for (const [key, value] of Object.entries(counters)) {
        if (typeof value === "number") summed[key] = (summed[key] ?? 0) + value;
      }
    }
    // Items touched across sweeps may repeat, so a summed item count would overstate.
    delete summed.stockItems;
    const moved = describeMoved(task.key, summed).replace(" on 0 items", "");
    return [task.key, String(busy), moved];
  });
}
