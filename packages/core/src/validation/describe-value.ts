import { redactSecrets } from "../secrets/redact-secrets.ts";

/** A short description of a bad value for an error message; a URL's secrets are masked. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(redactSecrets(value));
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
