import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaEmailSender,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";

// Your email provider: resolve when it accepted the message, throw when it did not.
// `idempotencyKey` is the email's id, so a provider that deduplicates on it never sends twice.
const sender: MikaEmailSender = async (message) => {
  console.log(`sending "${message.subject}" to ${message.to} (${message.idempotencyKey})`);
  return { providerMessageId: `provider-${message.idempotencyKey}` };
};

const repositories = createLibsqlRepositories({ url: "file:mika-maintenance.db" });
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
