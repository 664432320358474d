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
    d1: `**Measured cause: no bounded form reaches half of one statement on D1; the adapter matches
the best one.** The adapter ran at 0.98× and 0.78× the raw rowid loop in two full runs (load
averages 4–5 and 8 on 2 cores), with 22–23 requests against its 21 and the same 10,000-row
batches (the sweep in \`packages/sqlite\`), so the lasting miss is the "≥ 0.5× one statement"
half of the target; at load 8 its longest batch also crossed 250 ms (308 ms, the raw loop's
165 ms), which a stalled machine does to any batch. The raw loop itself, alone on the same 400k rows, ran at
0.38–0.39× the one unbounded DELETE (251k–258k against 652k–659k rows/s, two rounds each, load
average 4–5), and the same loop on a libSQL file at 0.40–0.57× (305k–478k against 758k–833k):
a bounded DELETE picks its rows through \`rowid IN (SELECT rowid … ORDER BY expires_at LIMIT
?)\` and seeks each of them, where the unbounded one deletes as it walks the expiry index. On
D1 each batch also is a request from Node to workerd, 8.8 ms median for a \`SELECT 1\` (p90 16
ms) at that load: about 190 ms of the 800 ms the loop takes. Larger batches do not help (50,000
rows: 147k rows/s against 206k for 10,000, and 407 ms batches, over the 250 ms cap); picking a
key range (\`expires_at <=\` the 10,000th expiry) ran the same as the rowid pick (208k). One
statement is not an option for the adapter: it is one transaction of any length (338 ms here),
which the bounded contract forbids.`,
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
    d1: `**Measured cause: the same as the D1 ephemeral purge; the adapter is at the best bounded
form.** The adapter sends the raw loop's 6 requests of 10,000 rows (Details) and ran at
0.80–1.13× it across runs (load average 4–8 on 2 cores; the minima spread 68k–98k rows/s
under load), while the raw loop itself ran at 0.51–0.59× the one unbounded UPDATE. A miss of
"≥ 0.5× one statement" is that bounded form's cost on SQLite (rowid picks, a request and a
commit per batch, see the ephemeral purge on D1) plus the machine's noise; one unbounded
statement holds the database for 233–302 ms here, which the bounded contract forbids.`,
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
processes on the two cores) rather than a transaction holding its locks for long. Measured
call by call (adapter and baseline alternating through the same 100k-row drains, 200 pairs):
the adapter took 1.1 ms more a call than the baseline's 7.3–11.7 ms (0.84–0.87× at load
averages of 5–6). Of that, about 0.5 ms is the server's (\`EXPLAIN ANALYZE\` of both
statements a hundred calls into a drain: 8.5 against 8.0 ms, the same buffers; the adapter adds
the rows-left check, 0.12 ms, the continuation key, a 0.1 ms top-1 sort of the picked rows, and
the touched item ids it returns so that a call with several batches counts distinct items) and
about 0.55 ms the client's (the adapter call against its own SQL sent straight through the
same pool: 20.5 against 20.0 ms median), nearly all of it the 500 item ids coming back (0.078
ms a call is the adapter's own JavaScript, Kysely's compile included). Since c809c15 a call
that is one batch, as at the default limit of 500, gets the count of items instead: paired
medians went from 0.876× and 0.888× to 0.891× and 0.927× (two drains each, load average 7.8). The check used to exclude the picked rows with \`id not in (select id from picked)\`
and walk \`stock_reservations_active_expiry_idx\` from its head past them (still active in the
statement's snapshot): 0.49–8.2 ms in \`EXPLAIN ANALYZE\`; since fe7bdac it starts after the last
key taken (0.12 ms), and batches of one call continue from there. That did not move the paired
ratio beyond noise (0.87× before, 0.84× after, different load): the dead index entries the
previous analysis blamed were being marked dead by the picks themselves, as no other session
held the xmin horizon back in those runs; with a long-running snapshot elsewhere on the
server, both forms' picks walk them. Before commit 7be6cfc the check was \`select exists (…)\`, a
Seq Scan over the whole table once few active rows were left (732 ms on a busy machine).`,
    libsql: `Compare the "calls over 250 ms" counts in Details: when the raw baseline also crosses the
limit in the same run, the machine stalled. A libSQL batch holds the file's only write lock for
its whole duration, so any stall shows up as lock time here.`,
    d1: `**Measured cause: the adapter's batch does more than the baseline's, and its JavaScript
shares the two cores with workerd.** Both are one D1 batch (one request, one transaction) per
500 reservations (Details: 1.00 round trip a call). The adapter's three statements, captured
from the binding and replayed as a raw batch through it, ran at 21k–22k rows/s against 25k–30k
for the baseline's two (22.5–23.8 against 17–20 ms a batch, two drains of 100k each, load
average 4–5): they add the rows-left probe (\`select 1 … limit 1\`) and \`RETURNING\` the
touched item ids (up to 500 back through workerd to Node, so a multi-batch call can count
distinct items). Without one or both: 15.2–22.6 ms a batch, too noisy at that load to split.
The rest, from ~23 ms to the 30.7 ms median of an adapter call, is on the Node side: drizzle
building and mapping three statements per call, on the same two cores as workerd's SQLite.
Since then a call that is one batch (the default limit) counts its items from the give-back
statement's change count instead of returning their ids (\`endReservations\` in
\`packages/sqlite/src/repositories/stock.ts\`, shared with libSQL): 0.537× → 0.646× on D1 and
0.768× → 0.986× on libSQL, in runs on an idle machine (load average ≈ 1). What is left on D1 is
the rows-left probe, which the conformance suite needs for an exact \`hasMore\` when the limit
ends on a full batch, and the Node side (drizzle builds and maps three statements a call on the
cores workerd's SQLite runs on); a local D1 request costs ~9 ms of the ~30 ms a call takes.`,
  },
  "erasure-paths": {
    postgres: `**Measured cause: sixteen statements a request, each a round trip and its own
execution, none of them slow.** 370 requests/s is 2.7 ms a request. The one-transaction path
takes about 16 round trips (two blocker reads, BEGIN, one statement per step, the completion,
COMMIT; counted on the driver, Details) and one write commit. The floor of a round trip from
Node with a parameter is 0.15 ms on an idle machine (0.47 ms at a load average of 13; \`select 1\`
0.07 and 0.30 ms), and a durable commit 0.3–2.9 ms depending on how busy the shared disk is
(the in-run figure is in Details). Timed statement by statement over 100 requests (load 3–7):
COMMIT 1.6 ms; the release of the customer's reservations 1.06; email redaction 0.85; order
anonymization 0.74; the completion 0.60; entitlements 0.56; licenses and workflows 0.50 each;
the customer 0.47; account exports 0.41; the subscriptions read 0.41; webhook events 0.40; the
carts read 0.39; tokens 0.39; ACP sessions 0.36; BEGIN 0.18: 10.3 ms of statements in 12.2 ms a
request, the rest core and Kysely between them. Taking the commit's fsync away does not change
that: \`SET LOCAL synchronous_commit = off\` in the erasure transaction measured 143 requests/s
against 134/s without it, back to back (durable commit 0.27 ms at the time). (The lane's
due-work probe adds 14–17 ms once per pass of 25 requests: its \`dueEmails\` check reads every
queued email not yet due, 26,000 in this scene, through a bitmap scan, because \`dueAt\` is not
written as the index expression \`coalesce(next_attempt_at, created_at) <= now\`.) What would
reach the target is fewer statements, a design decision beyond the adapter (decision 0026):
the erasure of one request as one statement or one server-side function (the issue measured
855 requests/s for that form), which core would call through the store instead of the eleven
port steps; or several requests per transaction, each in its own savepoint so that a failure
still rolls back only its request, which spreads BEGIN and COMMIT over many requests
but not the steps.`,
  },
  "idle-probe": {
    libsql: `The whole sweep takes under a millisecond here, so its ratio moves with the machine.
The probe alone costs the same on both files: 0.266 ms a call on the 1M-row tables against
0.268 ms on the 10k-row ones (medians of 1,800 interleaved calls, load average 4 on 2 cores;
the 1M-row file has 260,631 pages, the 10k-row one 2,670). What a sweep adds to it is the
\`webhookRetries\` listing (0.3 ms on both) and the runner's own work, none of which reads more
on a bigger table. A run at 1.16× (0.94 against 0.81 ms, maxima 6.9 and 1.3 ms) was the event
loop, not the database.`,
    any: `Details give the round trips per sweep and the slowest tasks with the probe. A sweep
with the probe is the probe plus the tasks it cannot answer for (\`webhookRetries\` has no
probe kind and lists its due workflows itself): 2 round trips. If the 1M-row sweep is slower,
\`EXPLAIN ANALYZE\` the probe (\`probeDueWork\` in \`repositories/due-work.ts\`) on the 1M-row
tables: every kind must be an index walk that stops at its first row.`,
  },
  rss: {
    any: `Peak memory grew with the number of rows purged: some call materializes rows in
proportion to the table rather than to the batch. Rerun \`--scenario rss\` with
\`--heap-prof\` on the child to find it.`,
  },
};

/** What earlier runs of this bench found and which commit fixed it, for the record. */
/**
 * The outbox section's standing analysis, printed with every outbox run whatever it measured:
 * what bounds each figure and what limits the next 10×. Written from the design and from runs
 * of this scenario; the figures to check it against are in the section's table.
 */
export const OUTBOX_ANALYSIS: string[] = [
  `**What one runner costs the database.** A runner leases a window of three times its
concurrency (at least 8) with one \`claimDueEmails\` statement and tops it up when half of it
(at least one concurrency) has drained, and records outcomes with one \`completeEmails\`
statement per quarter window (or whenever nothing else is in flight). Round trips per email
are therefore about 1 / max(concurrency, window / 2) + 1 / (window / 4): 0.75 at concurrency 1
(window 8), 0.25 at 8, 0.06 at 32, plus one empty claim per drain. Lease misses cannot happen:
a claim skips rows another claimer holds (\`FOR UPDATE SKIP LOCKED\` on Postgres; on SQLite the
claim is one write statement under the file's write lock), so no round trip is spent on an
email someone else is sending.`,
  `**Postgres, one runner.** With the window refilled while half of it is still claimed, a send
slot waits for the database only when a claim takes longer than the sends ahead of it (at least one
and a half sends, 30 ms, or more). A first version refilled a window of twice the
concurrency only when the slots in flight were all that was left (20 ms of slack): under a
load average near 57 on 2 cores it reached 0.71× ideal at concurrency 8, 0.76× of the machine
ceiling; with the present window 0.76× and 0.91× ideal in two runs at a load average near
20 (0.81× and 0.94× of the ceiling). The ratio to the ideal \`concurrency / 20 ms\` is then bound by
the event loop: on an idle machine it is close to 1; on a loaded one each timer fires late and
every send takes longer than 20 ms, which the ratio shows directly. Details therefore give,
for each drain, the machine ceiling measured right after it: the same 20 ms sends at the same
concurrency in the same number of processes, with no database and no runner. The drain's
ratio to that ceiling is what the runner and the database cost; the ceiling's ratio to the
ideal is what the loaded machine costs.`,
  `**Four processes.** Postgres: each process claims disjoint rows, so four processes at
concurrency 8 scale with the cores the machine can give them (the target, 3.5×, needs the four
processes' event loops to run without waiting for each other: on a 2-core machine shared with
other work they do wait, and the ratio falls with the load average). libSQL: every claim and
every completion is a write transaction on one file, and SQLite admits one writer at a time;
a process that finds the write lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 … ms
steps) rather than queueing, so the writers convoy. The ceiling is about 1 / (write
transactions per email × time a write transaction holds the lock, busy sleeps included):
with 0.25 writes per email and 1–3 ms per durable commit (\`synchronous = FULL\`, an fsync per
commit in WAL mode) it lies between roughly 900 and 2,700 emails/s for the whole fleet, and
below that as soon as the busy handler's sleeps start. On a loaded machine that is what
happens: a process holding the write lock is descheduled mid-commit, the others fall into
5–25 ms sleeps, and four processes together drain *slower* than one (measured below 1× one
process with the load average above 40 on 2 cores). Adding processes does not raise the
ceiling; one runner process per libSQL file with a higher concurrency does (fewer, larger write
transactions: 0.09 writes per email at concurrency 32), and \`synchronous: "normal"\` removes
the fsync from every commit. For a fleet of replicas, use Postgres.`,
  `**The rate cap.** \`maxPerSecond\` spaces send starts 1000 / maxPerSecond ms apart on the
runner's scheduler, per process; a drain at the cap runs at the cap unless the sends
themselves cannot keep up (concurrency / send time below the cap). Split a provider's limit
across N replicas as limit / N each.`,
  `**What limits the next 10×** (4,000 emails/s per process, 16,000 across four): (1) the
window: at 10× the rate the same round trips per second need windows 10× larger, i.e.
concurrency 80–320, which a provider that rate-limits per account will not accept — in
practice the provider's own limit, honoured with \`maxPerSecond\`, is the ceiling long before
the database is; (2) Postgres row churn: each email is updated twice (claim, completion), and
both updates change columns the partial due index depends on (status, attempt count), so
neither is a HOT update — two new index entries and two dead tuples per email, which at
10,000+ emails/s makes autovacuum of the outbox table the limit (a fill factor below 100 does
not help non-HOT updates; moving sent rows out of the hot table would); (3) libSQL: the single
writer — the ceiling above does not move with processes, only with fewer, larger write
transactions (bigger windows, batching completions across more emails) or
\`synchronous: "normal"\`; (4) per-email JavaScript (prepare, message, promises) is a few
microseconds and is not the limit below ~50,000 emails/s per process.`,
];

export const FIXED_FINDINGS: string[] = [
  "Postgres empty sweep 46–51× on 1M-row tables: the sweeps' `more` probes were `exists (…)`, run as Seq Scans when nothing is due; now ordered scalar probes over the partial indexes (7be6cfc).",
  "Postgres ephemeral purge 0.35–0.52× with live rows stored ahead of expired ones: same probe, plus a primary-key lookup per deleted row; now `ctid` picks and the ordered probe (7be6cfc).",
  "Postgres raw-payload purge 0.75–0.92×: the same two changes (7be6cfc, 561642e).",
  "libSQL raw-payload purge 0.53–0.62×: `RETURNING id` only to count rows and a probe after short batches; now `rowsAffected`, the probe only after a full batch, and rowid picks (ca0f185, b2b2911).",
  "Stock release 0.51–0.52× of the raw set-based release (no target): Postgres summed quantities per item in JS and sent a VALUES list of ~1,000 parameters per batch, now SQL sums and two array parameters (6843e6d); libSQL returned every ended reservation through drizzle, now gives stock back from a summed pick by rowid, then ends the same pick, and skips the probe after a short batch (8e38f93). 0.70× on both in the next full run.",
  "Outbox: every runner listed the same oldest due emails and leased them one at a time, so four runners wasted ~2.8 lease attempts per email and one runner sent ~41 emails/s with a 20 ms sender; now batched claims (`claimDueEmails`, `FOR UPDATE SKIP LOCKED`), batched completions and sends in flight (decision 0016).",
  "Postgres stock release returned the ids of the 500 items each call touched, only to count them (0.4 ms a call); a one-batch call now gets the count (c809c15).",
  "Postgres stock release: the rows-left check walked the expiry index from its head past the rows just ended (0.49–8.2 ms in EXPLAIN ANALYZE); it starts after the last key taken (0.12 ms) and batches continue from it (fe7bdac). The whole call was not measurably faster on this machine (see the stock analysis).",
  "Bench: the empty sweep with every task wired failed once `webhookRetries` joined the built-in tasks (it needs a replay driver); the runner now has one that fails the sweep if it is ever called. The sweep with and without the probe share one pair of 1M/10k-row stores.",
  "Bench: commits counted every statement outside a transaction, reads included; now only write transactions.",
  "Bench: peak RSS of a child read through `process.resourceUsage().maxRSS` included the parent's RSS at fork time (398 MiB for a 180 MiB child); now the child's own `VmHWM`.",
];
