import type { ResolvedPlugin } from "emdash";

/** One recorded hook call: the hook (and cron task) name and whether the context had cron. */
export interface RecordedHookCall {
  hook: string;
  hasCron: boolean;
}

/** Wraps every hook of `plugin` so each call is appended to `calls`. */
export function recordHookCalls<T extends ResolvedPlugin>(plugin: T, calls: RecordedHookCall[]): T {
  const hooks = plugin.hooks as Record<string, { handler: (...args: unknown[]) => unknown }>;
  for (const [name, hook] of Object.entries(hooks)) {
    const handler = hook.handler;
    hook.handler = (...args: unknown[]) => {
      const event = args[0] as { name?: unknown } | undefined;
      const ctx = args[1] as { cron?: unknown } | undefined;
      calls.push({
        hook: name === "cron" && typeof event?.name === "string" ? `cron:${event.name}` : name,
        hasCron: ctx?.cron !== undefined,
      });
      return handler(...args);
    };
  }
  return plugin;
}

/** The hook names of recorded calls, in order. */
export function hookNames(calls: readonly RecordedHookCall[]): string[] {
  return calls.map((call) => call.hook);
}
