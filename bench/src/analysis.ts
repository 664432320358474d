/**
 * Why a target was missed and what fixes it, by result key and adapter (`any` for both). The
 * report prints an entry only when that result misses its target in the run being written,
 * so every entry names the code, the query and the change, and how the fix was measured.
 */
export const ANALYSIS: Record<string, Record<string, string>> = {
  "purge-ephemeral": {
    postgres: `\`packages/postgres/src/repositories/ephemeral.ts\`, \`purgeExpired\`. Each 500-row
batch pays two things the raw \`DELETE\` does not:

1. the \`more\` probe \`exists (select 1 … where e.expires_at <= $now and (e.kind, e.key) not in
   (select kind, key from purged))\`. Postgres plans an \`EXISTS\` for its first row and drops any
   \`ORDER BY\`/\`LIMIT\` inside it, so when it expects many matches it picks a Seq Scan, which
   reads every live row stored ahead of the first remaining expired one (26 ms of a 30 ms
   batch in \`EXPLAIN ANALYZE\` on 400k rows);
2. \`delete … where (kind, key) in (select …)\` finds every picked row again through the primary
   key (HashAggregate + one index probe per row) although the subquery already locked it.

Fix: delete the locked rows by \`ctid\` (stable while the statement holds their row locks) and
probe only when a batch comes back short, with an ordered scalar probe that walks the index:

\`\`\`sql
with purged as (
  delete from <ephemeral_records> where ctid = any(array(
    select ctid from <ephemeral_records> where expires_at <= $now
    order by expires_at limit $size for update skip locked))
  returning 1)
select count(*) from purged;
-- when count < size (or once, after a call's last batch):
select coalesce((select true from <ephemeral_records> where expires_at <= $now
                 order by expires_at limit 1), false) as more;
\`\`\`

Measured with raw SQL on the same 400k-row table (200k expired, batch 500, three interleaved
rounds): 117k–164k rows/s for this form, 71k–110k for the baseline, 46k–74k for the current
statement. Also drop \`kind, key\` from the pick's \`ORDER BY\`: the index is on \`expires_at\`
alone, so they add an Incremental Sort.`,
  },
  "purge-payloads": {
    postgres: `A borderline result: across full runs on this machine the ratio ranged from 0.75× to
0.92×. In a separate six-round check on an idle machine (same data, batch 500, medians) the
adapter ran at 44k rows/s, its own statement sent as raw SQL at 47k, the baseline at 48k: the
adapter's SQL is at par, and what is left is per-call overhead. The statement in
\`packages/postgres/src/repositories/webhook-events.ts\` (\`purgeWebhookRawPayloads\`) still
carries the \`exists (… id not in (select id from purged))\` probe that turns into a Seq Scan of
the whole table when nothing is left (see the empty sweep); with the ordered probe it ran at
50k, and picking by \`ctid\` with the probe only after a short batch also at 50k:

\`\`\`sql
with purged as (
  update <webhook_events> set raw_payload = null, raw_payload_purged_at = $now
  where ctid = any(array(
    select ctid from <webhook_events>
    where raw_payload is not null and (processed_at is not null or normalized_payload is not null)
      and received_at <= $cutoff
    order by received_at, id limit $size for update skip locked))
  returning 1)
select count(*) from purged;
-- when count < size:
select coalesce((select true from <webhook_events> where <same predicate>
                 order by received_at, id limit 1), false) as more;
\`\`\``,
    libsql: `\`packages/libsql/src/repositories/webhook-events.ts\`, \`purgeWebhookRawPayloads\`: the
\`UPDATE … RETURNING id\` ships every purged id back through drizzle only to be counted, and
\`anyRow\` runs a second query even after a short batch (inside the write transaction nothing
else can add rows, so a short batch means nothing is left). Fix: drop
\`.returning({ id: t.id })\`, use \`result.rowsAffected\` for \`scanned\`/\`purged\` (as
\`purgeExpired\` already does) and compute \`hasMore\` as \`purged === limit && await
anyRow(…)\`. Raw-SQL check on an idle machine (same data, batch 500, five rounds, medians): the
adapter's transaction as it is (\`RETURNING\`, probe every batch) 110k rows/s, the same
transaction with \`rowsAffected\` and the probe only after a full batch 154k, the autocommit
baseline 158k; the adapter itself 92k, so its drizzle and locking layer costs about a sixth on
top and the fix should bring it to about 0.8×.`,
  },
  "empty-sweep": {
    postgres: `Three maintenance queries read the whole table when nothing is due: the \`more\` probes
in \`packages/postgres/src/repositories/acp-sessions.ts\` (\`cleanupExpired\`, expiry half),
\`webhook-events.ts\` (\`purgeWebhookRawPayloads\`) and \`stock.ts\`
(\`releaseExpiredReservations\`: \`select exists (select 1 from <stock_reservations> where
status = 'active' and expires_at <= $now)\`). The partial indexes exist, but Postgres plans
\`EXISTS\` for its first row, drops \`ORDER BY\`/\`LIMIT\` inside it, and multiplies the
selectivities of correlated predicates (10% active × 90% past expiry ≈ 90k expected matches),
so it expects an early hit from a Seq Scan, reads all 1M rows and finds none. \`EXPLAIN
ANALYZE\` at 1M rows: 406 ms as written; 0.08 ms as

\`\`\`sql
select coalesce((select true from <stock_reservations>
                 where status = 'active' and expires_at <= $now
                 order by expires_at, id limit 1), false) as more
\`\`\`

which walks \`stock_reservations_active_expiry_idx\` (Index Only Scan, 0 heap fetches). The
same rewrite (order by the partial index's columns, \`limit 1\`, in a scalar subquery instead
of \`EXISTS\`) applies to all seven probes: ephemeral.ts, webhook-events.ts, acp-sessions.ts
(both halves), stock.ts, email-outbox.ts (\`reclaimExhaustedEmails\`) and workflows.ts
(\`reclaimExhaustedWorkflows\`); one helper would keep them alike. \`CREATE STATISTICS\` does not
help: extended statistics do not cover a range predicate's correlation with an equality.`,
  },
  stock: {
    postgres: `First compare the "calls over 250 ms" counts in Details: when the raw baseline's
single-statement batches also cross the limit in the same run, the machine stalled (other
processes on the two cores) rather than a transaction holding its locks for long. What the
adapter adds on top: \`packages/postgres/src/repositories/stock.ts\`
(\`releaseExpiredReservations\`) ends every batch with \`select exists (select 1 from
<stock_reservations> where status = 'active' and expires_at <= $now)\`, which Postgres runs as a
Seq Scan over the whole table once few active rows are left (see the empty sweep), so the last
calls of a drain are the slowest. The ordered scalar probe (\`coalesce((select true … order by
expires_at, id limit 1), false)\`) makes it an index probe.`,
    libsql: `Compare the "calls over 250 ms" counts in Details: when the raw baseline also crosses the
limit in the same run, the machine stalled. A libSQL batch holds the file's only write lock for
its whole duration, so any stall shows up as lock time here.`,
  },
  outbox: {
    any: `Every runner lists the same oldest due emails (\`listDueEmails\` does not claim), so with
four runners each email costs about four lease attempts (see the lease misses above); on a
machine whose cores are busy with other work those extra round trips eat into the 20 ms the
sender leaves free. A claiming list in core — e.g. \`leaseDueEmails({ now, limit, leaseKey })\`
doing \`update … where id = any(array(select id … for update skip locked limit $n)) returning
*\` on Postgres, one \`UPDATE … RETURNING\` under the write lock on libSQL — would make a lease
miss impossible and the drain scale with runners.`,
  },
  rss: {
    any: `Peak memory grew with the number of rows purged: some call materializes rows in
proportion to the table rather than to the batch. Rerun \`--scenario rss\` with
\`--heap-prof\` on the child to find it.`,
  },
};
