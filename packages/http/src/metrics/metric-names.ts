/** Every metric the package exports, Prometheus and OpenTelemetry alike (units in the name). */
export const MIKA_METRICS = {
  passDuration: "mika_maintenance_pass_duration_seconds",
  passes: "mika_maintenance_passes_total",
  passFailures: "mika_maintenance_pass_failures_total",
  itemsMoved: "mika_maintenance_items_moved_total",
  itemFailures: "mika_maintenance_item_failures_total",
  laneOverruns: "mika_maintenance_lane_overruns_total",
  backlogItems: "mika_maintenance_backlog_items",
  backlogOldestAge: "mika_maintenance_backlog_oldest_age_seconds",
  leader: "mika_maintenance_leader",
  leaderPresent: "mika_maintenance_leader_present",
  laneOverdue: "mika_maintenance_lane_overdue",
  lanePaused: "mika_maintenance_lane_paused",
  laneLastStart: "mika_maintenance_lane_last_start_timestamp_seconds",
  storeUp: "mika_maintenance_store_up",
} as const;

/** Pass durations from 5 ms to 2 min: idle passes, busy batches and stuck ones. */
export const MIKA_DURATION_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];
