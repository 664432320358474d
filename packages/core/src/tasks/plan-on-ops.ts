import type { MikaRepositories } from "../ports/repositories.ts";
import type { MikaMaintenanceRunnerInput } from "../runner/runner-input.ts";
import { type MikaTaskContext, type MikaTaskPlan, missingDependency } from "../runner/task.ts";

/**
 * The plan of a task that works on `repositories.ops`: its runs sweep that port, and without
 * it the task is skipped, saying so.
 */
export function planOnOps<R, L extends string>(
  task: string,
  input: MikaMaintenanceRunnerInput,
  run: (ops: MikaRepositories["ops"], context: MikaTaskContext<L>) => Promise<R>,
): MikaTaskPlan<R, L> {
  const ops = input.repositories?.ops;
  if (!ops) return missingDependency(task, "repositories.ops");
  return { sweeps: ops, run: (context) => run(ops, context) };
}
