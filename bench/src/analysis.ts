/**
 * Why a target was missed and what fixes it, by result key and adapter (`any` for both). The
 * report prints an entry only when that result misses its target in the run being written,
 * so every entry names the code, the query and the change, and how the fix was measured.
 */
export const ANALYSIS: Record<string, Record<string, string>> = {
  "purge-ephemeral": {
    postgres: `\`packages/postgres/src/repositories/ephemeral.ts\` (\`purgeExpired\`) already carries the
two changes this bench proposed (commit 7be6cfc): it deletes the locked rows by \`ctid\` instead
of finding each again through the primary key, and its \`more\` probe is an ordered scalar
subquery (\`rowsLeft\`) instead of \`exists (…)\`, which Postgres ran as a Seq Scan over every
live row stored ahead of the first remaining expired one (26 ms of a 30 ms batch in \`EXPLAIN
ANALYZE\` on 400k rows). Before: 0.35–0.52× on this machine; as raw SQL the new form ran at
117k–164k rows/s against 71k–110k for the baseline. What is left to shave: the pick and the
probe order by \`expires_at, kind, key\` while the index holds \`expires_at\` alone, which adds an
Incremental Sort to both (small, not measured on its own); ordering by \`expires_at\` only, or
an index on \`(expires_at, kind, key)\`, removes it.`,
  },
  "purge-payloads": {
    postgres: `A borderline result before the adapter's probe and \`ctid\` changes (ratio 0.75–0.92×
across full runs on this machine): in a six-round raw-SQL check on an idle machine the adapter
ran at 44k rows/s, its own statement sent as raw SQL at 47k and the baseline at 48k, so what
separated them was per-call overhead plus the \`exists (… id not in (select id from purged))\`
probe, which turns into a Seq Scan of the whole table when nothing is left (see the empty
sweep). With the ordered probe the statement ran at 50k, and picking by \`ctid\` also at 50k;
\`packages/postgres/src/repositories/webhook-events.ts\` (\`purgeWebhookRawPayloads\`) has both
since commits 7be6cfc and 561642e (1.00–1.04× in full runs after them). It keeps \`returning
id\`: the probe runs in the same statement, whose snapshot still shows the purged rows as due,
and excludes them by id (a count-only \`RETURNING\` with a capped-count probe measured the same
within noise: 40k rows/s against 41k, medians of twelve rounds). A miss after that is per-call cost
(kysely compiles the statement on every call); larger batches dilute it.`,
    libsql: `\`packages/libsql/src/repositories/webhook-events.ts\` (\`purgeWebhookRawPayloads\`) no
longer returns the purged ids, skips the \`more\` probe after a short batch and picks rows by
rowid (commits ca0f185 and b2b2911, proposed from this bench: 0.53–0.62× before). The same transaction as raw SQL runs at 0.97× the
autocommit baseline (154k vs 158k rows/s, five rounds on an idle machine), so what remains is
the adapter's per-call layer, about 1 ms per 500-row call: drizzle builds the statement on
every call and \`transaction()\` in \`src/database/libsql-database.ts\` wraps each transaction
in a new drizzle instance. Preparing the purge once (drizzle \`.prepare()\` with
\`sql.placeholder\` for \`now\`, \`cutoff\` and \`limit\`) would take most of it away (not
measured). Larger batches dilute it too: the runner's default \`rawProviderPayloadLimit\` is 50,
where the per-call cost dominates on every adapter.`,
  },
  "empty-sweep": {
    postgres: `The maintenance queries must stop reading whole tables when nothing is due. The first
runs of this bench measured 46–51×: the \`more\` probes in
\`packages/postgres/src/repositories/\` (\`acp-sessions.ts\` \`cleanupExpired\`,
\`webhook-events.ts\` \`purgeWebhookRawPayloads\`, \`stock.ts\` \`releaseExpiredReservations\`, and
the same pattern in ephemeral.ts, email-outbox.ts and workflows.ts) were \`exists (select 1 …)\`.
Postgres plans \`EXISTS\` for its first row, drops \`ORDER BY\`/\`LIMIT\` inside it, and
multiplies the selectivities of correlated predicates (10% active × 90% past expiry ≈ 90k
expected matches), so it expects an early hit from a Seq Scan, reads all 1M rows and finds
none: 406 ms at 1M rows in \`EXPLAIN ANALYZE\`, 0.08 ms as \`select coalesce((select true from …
where status = 'active' and expires_at <= $now order by expires_at, id limit 1), false)\`, which
walks the partial index. Commit 7be6cfc made every probe that scalar form (\`rowsLeft\`). If the
ratio climbs again, the "slowest tasks" line in Details names the task; \`EXPLAIN\` its queries
on the 1M-row tables (\`CREATE STATISTICS\` does not help: extended statistics do not cover a
range predicate's correlation with an equality).`,
  },
  stock: {
    postgres: `First compare the "calls over 250 ms" counts in Details: when the raw baseline's
single-statement batches also cross the limit in the same run, the machine stalled (other
processes on the two cores) rather than a transaction holding its locks for long. Before
commit 7be6cfc every \`releaseExpiredReservations\` batch in
\`packages/postgres/src/repositories/stock.ts\` ended with \`select exists (select 1 from
<stock_reservations> where status = 'active' and expires_at <= $now)\`, a Seq Scan over the
whole table once few active rows were left, so the last calls of a drain were the slowest
(732 ms on a busy machine); the probe now walks the partial index.`,
    libsql: `Compare the "calls over 250 ms" counts in Details: when the raw baseline also crosses the
limit in the same run, the machine stalled. A libSQL batch holds the file's only write lock for
its whole duration, so any stall shows up as lock time here.`,
  },
  outbox: {
    postgres: `Every runner lists the same oldest due emails (\`listDueEmails\` does not claim), so with
four runners each email costs about four lease attempts (see the lease misses in Details); on
a machine whose cores are busy with other work those extra round trips eat into the 20 ms the
sender leaves free. A claiming list in core — e.g. \`leaseDueEmails({ now, limit, leaseKey })\`
as \`update … where id = any(array(select id … for update skip locked limit $n)) returning *\` —
would make a lease miss impossible and the drain scale with runners.`,
    libsql: `Four runners in one process share the adapter's per-file lock
(\`packages/libsql/src/database/async-lock.ts\`), so only the 20 ms sends overlap; the
database work of every email runs one at a time. The drain is therefore bound by that
serialized time per email: ratio ≈ (20 ms + DB time per email with one runner) / (DB time
per email with four runners, lease misses included). From the drain times in Details: on an
idle machine about (20 + 4.5) / 6.5 ≈ 3.8 (measured 3.6–3.9×); with the cores busy, DB time
per email doubles and the bound drops to about (20 + 10) / 12 ≈ 2.5 — which is what a run on a
busy machine measures. Levers, each cutting the serialized time: a claiming list in core (no
lease misses: \`leaseDueEmails({ now, limit, leaseKey })\` as one \`UPDATE … RETURNING\` under
the write lock, so a runner never tries an email another holds), and, for hosts that accept
losing the last commits on power loss, the adapter's \`synchronous: "normal"\` option (no fsync
per commit; the bench measures the durable default).`,
  },
  rss: {
    any: `Peak memory grew with the number of rows purged: some call materializes rows in
proportion to the table rather than to the batch. Rerun \`--scenario rss\` with
\`--heap-prof\` on the child to find it.`,
  },
};

/** What earlier runs of this bench found and which commit fixed it, for the record. */
export const FIXED_FINDINGS: string[] = [
  "Postgres empty sweep 46–51× on 1M-row tables: the sweeps' `more` probes were `exists (…)`, run as Seq Scans when nothing is due; now ordered scalar probes over the partial indexes (7be6cfc).",
  "Postgres ephemeral purge 0.35–0.52× with live rows stored ahead of expired ones: same probe, plus a primary-key lookup per deleted row; now `ctid` picks and the ordered probe (7be6cfc).",
  "Postgres raw-payload purge 0.75–0.92×: the same two changes (7be6cfc, 561642e).",
  "libSQL raw-payload purge 0.53–0.62×: `RETURNING id` only to count rows and a probe after short batches; now `rowsAffected`, the probe only after a full batch, and rowid picks (ca0f185, b2b2911).",
  "Stock release 0.51–0.52× of the raw set-based release (no target): Postgres summed quantities per item in JS and sent a VALUES list of ~1,000 parameters per batch, now SQL sums and two array parameters (6843e6d); libSQL returned every ended reservation through drizzle, now gives stock back from a summed pick by rowid, then ends the same pick, and skips the probe after a short batch (8e38f93). 0.70× on both in the next full run.",
  "Bench: peak RSS of a child read through `process.resourceUsage().maxRSS` included the parent's RSS at fork time (398 MiB for a 180 MiB child); now the child's own `VmHWM`.",
];
