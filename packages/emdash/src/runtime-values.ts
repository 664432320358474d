import { MIKA_RUNTIME_OPTION_NAMES } from "./plugin-options.ts";

/** Descriptor options with their runtime values taken out, and the dotted names of those values. */
export interface MikaSeparatedOptions {
  serializable: Record<string, unknown>;
  runtimeValues: string[];
}

/**
 * Takes runtime values (`api`, `repositories`, runners, functions) out of `mikaPlugin()` options,
 * at the top level and under `maintenance`. EmDash serializes the descriptor with
 * `JSON.stringify`, so such a value could never reach the server; the host's plugin entrypoint
 * passes it to `createPlugin()` instead, as the upstream guide's snippets do.
 */
export function separateRuntimeValues(options: unknown): MikaSeparatedOptions {
  if (!isRecord(options)) return { serializable: {}, runtimeValues: [] };
  const runtimeValues: string[] = [];
  const serializable: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (MIKA_RUNTIME_OPTION_NAMES.has(key)) {
      if (value !== undefined) runtimeValues.push(key);
    } else if (key === "maintenance" && isRecord(value)) {
      const maintenance: Record<string, unknown> = {};
      for (const [innerKey, innerValue] of Object.entries(value)) {
        if (!MIKA_RUNTIME_OPTION_NAMES.has(innerKey)) maintenance[innerKey] = innerValue;
        else if (innerValue !== undefined) runtimeValues.push(`maintenance.${innerKey}`);
      }
      serializable.maintenance = maintenance;
    } else {
      serializable[key] = value;
    }
  }
  return { serializable, runtimeValues };
}

/** The one build-time warning for runtime values left out of the descriptor. */
export function runtimeValuesWarning(runtimeValues: readonly string[], entrypoint: string): string {
  const names = runtimeValues.map((name) => `\`${name}\``).join(", ");
  return (
    `[mika-maintenance] mikaPlugin(): left ${names} out of the descriptor. EmDash writes descriptor ` +
    "options into generated code as JSON, so runtime values cannot travel through astro.config. " +
    `Pass ${runtimeValues.length === 1 ? "it" : "them"} to createPlugin() in your plugin entrypoint ` +
    `(now ${JSON.stringify(entrypoint)}; set \`entrypoint\` to your own module, e.g. src/plugins/mika-plugin.ts).`
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
