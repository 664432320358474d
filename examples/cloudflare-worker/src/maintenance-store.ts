// The maintenance store: mika-maintenance's tables in the D1 database bound as `MIKA_DB` in
// wrangler.jsonc. Built once per isolate from the Worker's bindings; the plugin entrypoint hands
// it to the plugin, and scheduled() migrates it before each run.
import { env } from "cloudflare:workers";
import { createMikaEmailOutboxRunner, type MikaEmailSender } from "@mika-maintenance/core";
import { createD1Repositories } from "@mika-maintenance/d1";

// `name` is how the store's errors name the database.
export const repositories = createD1Repositories({ binding: env.MIKA_DB, name: "MIKA_DB" });

let migrated: Promise<void> | null = null;

/**
 * Applies the store's migrations, once per isolate. They are recorded in `MIKA_DB`, so after the
 * first isolate this is one read; two isolates running them at once is safe. A failed attempt is
 * tried again by the next trigger.
 */
export function migrateMaintenanceStoreOnce(): Promise<void> {
  const pending = migrated ?? repositories.migrate().then(() => undefined, forgetFailedMigration);
  migrated = pending;
  return pending;
}

function forgetFailedMigration(error: unknown): never {
  migrated = null;
  throw error;
}

/**
 * A stand-in for your email provider: it delivers nothing and logs each email's id. Replace it
 * with a call to the provider's API, passing `message.idempotencyKey` where it takes one.
 */
const sendEmail: MikaEmailSender = async (message) => {
  console.log(`[email] stand-in sender, not delivered: ${message.emailId} "${message.subject}"`);
};

/** Drains the outbox in `MIKA_DB` through `sendEmail`. */
export const emailOutboxRunner = createMikaEmailOutboxRunner({ repositories, sender: sendEmail });
