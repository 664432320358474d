import { type MikaMalformedWrite, malformedWriteTarget } from "@mika-maintenance/adapter-tests";
import { type Kysely, type RawBuilder, sql } from "kysely";

/** What Postgres's types let through for each kind (jsonb refuses text that is not JSON). */
const VALUES: Record<Exclude<MikaMalformedWrite["kind"], "invalidJson">, RawBuilder<unknown>> = {
  // A JSON string whose text is an object: read once it is a string, parsed twice an object.
  jsonNotObject: sql`'"{\\"looks\\": \\"like an object\\"}"'::jsonb`,
  // Postgres holds years up to 294276; JavaScript stops at 275760.
  timeBeyondRange: sql`'275761-01-01T00:00:00Z'::timestamptz`,
  infiniteTime: sql`'-infinity'::timestamptz`,
};

/** The Postgres store's backdoor writer: one raw UPDATE through the test's admin connection. */
export async function writeMalformedValue(
  // biome-ignore lint/suspicious/noExplicitAny: raw test access to every table.
  admin: Kysely<any>,
  schema: string,
  input: MikaMalformedWrite,
  prefix = "mika_",
): Promise<{ table: string; column: string }> {
  if (input.kind === "invalidJson") {
    throw new Error("jsonb cannot hold text that is not JSON; Postgres opts out of invalidJson.");
  }
  const target = malformedWriteTarget(input, prefix);
  const { column, key } = target;
  const table = `${schema}.${target.table}`;
  const result =
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${VALUES[input.kind]} where ${sql.ref(key)} = ${input.rowId}`.execute(
      admin,
    );
  if (Number(result.numAffectedRows) !== 1) throw new Error(`No row ${input.rowId} in ${table}.`);
  return { table, column };
}
