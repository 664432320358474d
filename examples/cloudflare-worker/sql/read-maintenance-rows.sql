-- What the sweep did in the maintenance store (MIKA_DB): the seeded rows, then the sweep's run
-- records (one per task, started at the `now` the sweep ran with).
select id, status, attempt_count, sent_at, next_attempt_at from mika_email_outbox order by id;
select kind, key from mika_ephemeral_records order by key;
select id, status, ended_at from mika_stock_reservations order by id;
select id, quantity_reserved from mika_stock_items order by id;
select lane, instance_id, started_at, status from mika_lane_runs order by lane;
