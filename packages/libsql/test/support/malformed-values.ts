import type { Client } from "@libsql/client";
import { type MikaMalformedWrite, malformedWriteTarget } from "@mika-maintenance/adapter-tests";
import { MIKA_LIBSQL_DEFAULT_TABLE_PREFIX } from "../../src/index.ts";

/** SQL for each kind: SQLite stores any of them in the adapter's TEXT and INTEGER columns. */
const VALUES: Record<MikaMalformedWrite["kind"], string> = {
  invalidJson: `'{"unclosed": '`,
  jsonNotObject: `'"a JSON string"'`,
  // One millisecond past the largest instant a JavaScript Date can hold.
  timeBeyondRange: "8640000000000001",
  // SQLite reads an overflowing literal as an infinite REAL.
  infiniteTime: "-9e999",
};

/** The libSQL stores' backdoor writer: one raw UPDATE through the test's own client. */
export async function writeMalformedValue(
  client: Client,
  input: MikaMalformedWrite,
  prefix = MIKA_LIBSQL_DEFAULT_TABLE_PREFIX,
): Promise<{ table: string; column: string }> {
  const { table, column, key } = malformedWriteTarget(input, prefix);
  const result = await client.execute({
    sql: `update "${table}" set "${column}" = ${VALUES[input.kind]} where "${key}" = ?`,
    args: [input.rowId],
  });
  if (result.rowsAffected !== 1) throw new Error(`No row ${input.rowId} in ${table}.`);
  return { table, column };
}
