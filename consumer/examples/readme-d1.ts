import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { createD1Repositories, type MikaD1Binding } from "@mika-maintenance/d1";

interface Env {
  MIKA_DB: MikaD1Binding; // a D1 binding from wrangler.jsonc's d1_databases
}

export default {
  // The Cron Trigger is the Worker's only clock: `now` is the time it was scheduled for.
  async scheduled(controller: { scheduledTime: number }, env: Env): Promise<void> {
    const repositories = createD1Repositories({ binding: env.MIKA_DB, name: "MIKA_DB" });
    await repositories.migrate(); // safe when two Workers run it at once
    const now = new Date(controller.scheduledTime).toISOString();
    console.log(await createMikaMaintenanceRunner({ repositories }).runOnce({ now }));
  },
};
