npx @mika-maintenance/cli demo --emails 20     # seed mika-maintenance.db, sweep it, show what moved
npx @mika-maintenance/cli status               # leader, heartbeats, lanes, backlogs
npx @mika-maintenance/cli once --json          # one sweep, machine-readable
