-- Makes EmDash's mika_maintenance row (in DB) due at T = 2026-01-01T00:00:00Z, the time the
-- trigger is then fired with. A deployed Worker needs no such step: the row is due at the next
-- whole minute, and the Cron Trigger fires at that minute.
update _emdash_cron_tasks
  set next_run_at = '2026-01-01T00:00:00.000Z'
  where task_name = 'mika_maintenance';
