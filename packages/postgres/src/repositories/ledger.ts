import {
  createRandomId,
  type MikaLedgerRepository,
  type MikaOrderCustomerSnapshot,
  type MikaOrderRecord,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { OrdersTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import {
  jsonParam,
  subjectOf,
  timestampsOf,
  toIsoOrNull,
  toMetadata,
  toNumber,
} from "./convert.ts";
import { anonymizeSubjectRows, subjectColumns } from "./erasure.ts";
import { findById } from "./find-by-id.ts";

/** Snapshot fields that are personal data and leave the order on erasure. */
const PERSONAL_SNAPSHOT_FIELDS = ["email", "name", "company", "vatId"];

function toRecord(row: Selectable<OrdersTable>): MikaOrderRecord {
  return {
    id: row.id,
    ...subjectOf(row),
    customerSnapshot: toMetadata(row.customer_snapshot) as MikaOrderCustomerSnapshot,
    totalMinor: toNumber(row.total_minor),
    currency: row.currency,
    status: row.status,
    ...timestampsOf(row),
    anonymizedAt: toIsoOrNull(row.anonymized_at),
  };
}

/** `repositories.ledger`: orders, kept for the ledger after their buyer is erased. */
export function createPostgresLedger({ db }: PostgresRepositoryContext): MikaLedgerRepository {
  return {
    async createOrder(input) {
      portInput.requireInteger(input.totalMinor, "totalMinor");
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("orders")
        .values({
          id: input.id ?? createRandomId(),
          ...subjectColumns(input),
          customer_snapshot: jsonParam(input.customerSnapshot),
          total_minor: input.totalMinor,
          currency: input.currency,
          status: input.status ?? "placed",
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getOrder(orderId) {
      const row = await findById(db, "orders", orderId);
      return row ? toRecord(row) : null;
    },

    async anonymizeOrdersForAccountDelete(input) {
      return anonymizeSubjectRows(
        db,
        "orders",
        input,
        sql`customer_snapshot = customer_snapshot - array[${sql.join(PERSONAL_SNAPSHOT_FIELDS.map((field) => sql.lit(field)))}]::text[]`,
      );
    },
  };
}
