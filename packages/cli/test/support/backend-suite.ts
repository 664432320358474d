import { type CliBackend, libsqlBackend, postgresBackend } from "./backends.ts";

/** The backends every CLI behaviour is checked on: a libSQL file and a Postgres schema. */
export const BACKENDS = [
  ["libsql", () => Promise.resolve(libsqlBackend())],
  ["postgres", (label: string) => postgresBackend(label)],
] as const satisfies readonly (readonly [string, (label: string) => Promise<CliBackend>])[];
