import { Option } from "commander";
import { EXIT } from "../errors.ts";
import { renderTable } from "../render/table.ts";
import { type MikaCommandContext, withStore } from "../setup/command-context.ts";
import { flagsOf, type MikaCommandRegistration } from "./command-kit.ts";

/** Registers `migrate`. */
export const registerMigrateCommand: MikaCommandRegistration = (program, cli) => {
  program
    .command("migrate")
    .description(
      "apply pending migrations; creates a local database file only when the URL names it (or --create)",
    )
    .addOption(
      new Option("--status", "only show applied and pending migrations").env(
        "MIKA_MIGRATE_STATUS_ONLY",
      ),
    )
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      const statusOnly = flags.status === true;
      cli.setExitCode(
        await withStore(
          cli.io,
          flags,
          { migrates: !statusOnly, requireMigrated: false },
          (context) => migrateCommand(context, { statusOnly }),
        ),
      );
    });
};

/** `migrate [--status]`: applies pending migrations, or only shows where the schema stands. */
export async function migrateCommand(
  context: MikaCommandContext,
  flags: { statusOnly: boolean },
): Promise<number> {
  const before = await context.store.migrationStatus();
  const after = flags.statusOnly ? before : await context.store.migrate();
  const appliedNow = flags.statusOnly
    ? []
    : after.applied.filter((entry) => !before.applied.some((old) => old.name === entry.name));
  if (context.json) {
    context.io.out(
      JSON.stringify(
        {
          database: context.target.display,
          applied: after.applied,
          pending: after.pending,
          ...(flags.statusOnly ? {} : { appliedNow: appliedNow.map((entry) => entry.name) }),
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  const rows = [
    ...after.applied.map((entry) => [
      entry.name,
      appliedNow.some((fresh) => fresh.name === entry.name) ? "applied now" : "applied",
      entry.appliedAt,
    ]),
    ...after.pending.map((name) => [name, "PENDING", "-"]),
  ];
  const headline = flags.statusOnly
    ? `${context.target.display}: ${after.applied.length} applied, ${after.pending.length} pending`
    : appliedNow.length
      ? `${context.target.display}: applied ${appliedNow.length} migration(s)`
      : `${context.target.display}: already up to date`;
  context.io.out(
    `${headline}\n${renderTable(["migration", "state", "applied at"], rows, { color: context.color, columns: context.io.columns })}`,
  );
  return EXIT.ok;
}
