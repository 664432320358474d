// A host that owns its scheduler calls the runner itself, here once a minute.
import {
  createMikaEmailOutboxRunner,
  createMikaMaintenanceRunner,
  type MikaEmailSender,
  summarizeMaintenanceResult,
} from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";

const url = process.env.MIKA_DATABASE_URL ?? "file:mika-maintenance.db";
const repositories = createLibsqlRepositories({ url });
await repositories.migrate();

// Replace with your provider; pass `idempotencyKey` on so it can deduplicate retries.
const sender: MikaEmailSender = async (message) => {
  console.log(`would send "${message.subject}" to ${message.to} (${message.idempotencyKey})`);
  return { providerMessageId: `local-${message.idempotencyKey}` };
};

const runner = createMikaMaintenanceRunner({
  repositories,
  emailOutboxRunner: createMikaEmailOutboxRunner({ repositories, sender }),
});

async function sweep(): Promise<void> {
  const result = await runner.runOnce();
  console.log(JSON.stringify(summarizeMaintenanceResult(result)));
}

await sweep();
if (process.argv.includes("--every-minute")) {
  const timer = setInterval(() => void sweep(), 60_000);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      clearInterval(timer);
      void repositories.close();
    });
  }
} else {
  await repositories.close();
}
