import type { MikaMaintenanceRuntimeInput } from "@mika-maintenance/core";
import type { MikaCommandContext } from "../setup/command-context.ts";
import { runnerInputFor } from "../setup/runner-input.ts";

/** Runtime flags after validation. */
export interface MikaRuntimeFlags {
  instanceId: string;
  lanes: NonNullable<MikaMaintenanceRuntimeInput["lanes"]>;
  leaderName?: string;
  leaseTtlMs?: number;
  heartbeatMs?: number;
  shutdownGraceMs?: number;
}

/** The runtime input: config module first, flags on top. */
export function runtimeInputFor(
  context: MikaCommandContext,
  flags: MikaRuntimeFlags,
): MikaMaintenanceRuntimeInput {
  const fromConfig = context.config.runtime ?? {};
  const lanes: NonNullable<MikaMaintenanceRuntimeInput["lanes"]> = { ...context.config.lanes };
  for (const [lane, override] of Object.entries(flags.lanes)) {
    const key = lane as keyof typeof lanes;
    lanes[key] = { ...lanes[key], ...override };
  }
  const input: MikaMaintenanceRuntimeInput = {
    ...runnerInputFor(context.store, context.config),
    ...fromConfig,
    instanceId: flags.instanceId,
    lanes,
  };
  if (flags.leaderName !== undefined) input.leaderName = flags.leaderName;
  if (flags.leaseTtlMs !== undefined) input.leaseTtlMs = flags.leaseTtlMs;
  if (flags.heartbeatMs !== undefined) input.heartbeatMs = flags.heartbeatMs;
  if (flags.shutdownGraceMs !== undefined) input.shutdownGraceMs = flags.shutdownGraceMs;
  if (context.config.onPass) input.onPass = context.config.onPass;
  return input;
}
