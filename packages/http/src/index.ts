export * from "./backlog-trend.ts";
export * from "./create-maintenance-http.ts";
export * from "./dashboard/dashboard-model.ts";
export * from "./maintenance-source.ts";
export * from "./metrics/metric-names.ts";
export * from "./metrics/open-telemetry-metrics.ts";
export * from "./metrics/prometheus-metrics.ts";
export * from "./readiness.ts";
