/**
 * Whether to colour output: `NO_COLOR` (any non-empty value) turns it off, `FORCE_COLOR`
 * (anything but `0`/`false`) turns it on even off a terminal; otherwise only on a terminal.
 */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return isTTY;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, grey: 90, bold: 1 } as const;

/** A colour name the CLI uses. */
export type MikaCliColor = keyof typeof CODES;

/** Wraps `text` in an ANSI colour when `on`. */
export function paint(text: string, color: MikaCliColor, on: boolean): string {
  return on ? `\u001b[${CODES[color]}m${text}\u001b[${color === "bold" ? 22 : 39}m` : text;
}
