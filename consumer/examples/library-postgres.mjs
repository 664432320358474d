import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { createPostgresRepositories } from "@mika-maintenance/postgres";

// Your email provider: resolve when it accepted the message, throw when it did not.
// `idempotencyKey` is the email's id, so a provider that deduplicates on it never sends twice.
/** @type {import("@mika-maintenance/core").MikaEmailSender} */
const sender = async (message) => {
  console.log(`sending "${message.subject}" to ${message.to} (${message.idempotencyKey})`);
  return { providerMessageId: `provider-${message.idempotencyKey}` };
};

const repositories = createPostgresRepositories({
  connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/shop",
});
await repositories.migrate();
// Your application queues emails; maintenance delivers them.
await repositories.ops.enqueueEmail({
  to: "buyer@example.com",
  subject: "Your receipt",
  text: "Thank you for your order.",
  now: new Date().toISOString(),
});

const emailOutboxRunner = createMikaEmailOutboxRunner({ repositories, sender });
const result = await createMikaMaintenanceRunner({ repositories, emailOutboxRunner }).runOnce();
console.log(summarizeMaintenanceResult(result));
await repositories.close();
