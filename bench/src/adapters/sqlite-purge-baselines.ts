import type { RawBaselines, RawSweep } from "./store.ts";

/** Runs one statement (`{table}` names expand to the prefixed tables) as the driver sends it. */
type RunStatements = (act: string, args: (string | number)[], batch: number) => Promise<RawSweep>;

const ms = (iso: string) => Date.parse(iso);

const PAYLOAD_DUE = `raw_payload IS NOT NULL
  AND (processed_at IS NOT NULL OR normalized_payload IS NOT NULL) AND received_at <= ?`;

/**
 * The purge baselines every SQLite driver (libSQL file, D1) is measured against, written once:
 * the best bounded form (a loop of rowid-picked statements) and one unbounded statement. The
 * driver supplies how a loop and a single statement are sent.
 */
export function sqlitePurgeBaselines(
  boundedLoop: RunStatements,
  oneStatement: (act: string, args: (string | number)[]) => Promise<RawSweep>,
): Pick<RawBaselines, "purgeEphemeral" | "purgeWebhookPayloads"> {
  return {
    purgeEphemeral: (now) => ({
      bounded: (batch) =>
        boundedLoop(
          `DELETE FROM {ephemeral_records} WHERE rowid IN (SELECT rowid FROM {ephemeral_records}
             WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
          [ms(now)],
          batch,
        ),
      unbounded: () =>
        oneStatement("DELETE FROM {ephemeral_records} WHERE expires_at <= ?", [ms(now)]),
    }),
    purgeWebhookPayloads: (now, cutoff) => ({
      bounded: (batch) =>
        boundedLoop(
          `UPDATE {webhook_events} SET raw_payload = NULL, raw_payload_purged_at = ?
           WHERE rowid IN (SELECT rowid FROM {webhook_events} WHERE ${PAYLOAD_DUE}
             ORDER BY received_at, id LIMIT ?)`,
          [ms(now), ms(cutoff)],
          batch,
        ),
      unbounded: () =>
        oneStatement(
          `UPDATE {webhook_events} SET raw_payload = NULL, raw_payload_purged_at = ?
           WHERE ${PAYLOAD_DUE}`,
          [ms(now), ms(cutoff)],
        ),
    }),
  };
}
