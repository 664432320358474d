import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type MikaStorageAdapter, redactSecrets } from "@mika-maintenance/core";
import type { z } from "zod";
import { MikaCliInputError } from "../errors.ts";
import { cliConfigSchema, describe, type MikaCliConfig } from "./config-schema.ts";

/** A loaded config module: its export, resolved (and validated) once the store is open. */
export interface MikaCliConfigSource {
  specifier: string;
  resolve(context: { repositories: MikaStorageAdapter }): Promise<MikaCliConfig>;
}

/**
 * Imports the `--config` module and checks what it exports before anything is opened: a
 * default export (or `config`) that is an object, or a function of `{ repositories }` that
 * returns one. The object itself is validated with zod; every problem names the field.
 */
export async function loadConfigModule(
  specifier: string,
  cwd: string,
): Promise<MikaCliConfigSource> {
  const file = resolveSpecifier(specifier, cwd);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new MikaCliInputError(`--config ${specifier} could not be loaded: ${firstLine(error)}`, {
      cause: error,
    });
  }
  const exported = module.default ?? module.config;
  if (exported === undefined) {
    const names = Object.keys(module);
    throw new MikaCliInputError(
      `--config ${specifier} must export default (or config): an object with sender, acpSessionStore, … or a function returning one; it exports ${names.length ? names.join(", ") : "nothing"}.`,
    );
  }
  if (typeof exported !== "function") validate(specifier, exported);
  return {
    specifier,
    async resolve(context) {
      if (typeof exported !== "function") return validate(specifier, exported);
      let produced: unknown;
      try {
        produced = await (exported as (context: unknown) => unknown)(context);
      } catch (error) {
        throw new MikaCliInputError(
          `--config ${specifier}: its default export threw: ${firstLine(error)}`,
          { cause: error },
        );
      }
      return validate(specifier, produced);
    },
  };
}

function validate(specifier: string, value: unknown): MikaCliConfig {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MikaCliInputError(
      `--config ${specifier} must export an object (or a function returning one), got ${describe(value)}.`,
    );
  }
  const parsed = cliConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new MikaCliInputError(`--config ${specifier}: ${formatIssue(parsed.error)}`);
}

function formatIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid export.";
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    const allowed =
      issue.path.length === 0 ? `; allowed: ${Object.keys(cliConfigSchema.shape).join(", ")}` : "";
    return `${where}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}${allowed}.`;
  }
  const field = issue.path.join(".") || "export";
  return `${field} ${issue.message.replace(/\.$/, "")}.`;
}

function resolveSpecifier(specifier: string, cwd: string): string {
  const looksLikePath =
    specifier.startsWith(".") || path.isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier);
  if (looksLikePath) {
    const file = path.resolve(cwd, specifier);
    if (!existsSync(file)) {
      throw new MikaCliInputError(`--config ${specifier}: no such file (looked for ${file}).`);
    }
    return file;
  }
  try {
    return createRequire(path.join(cwd, "noop.js")).resolve(specifier);
  } catch {
    throw new MikaCliInputError(
      `--config ${specifier}: no such module (not a file path, and not a package installed in ${cwd}).`,
    );
  }
}

function firstLine(error: unknown): string {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  return message.split("\n")[0] ?? message;
}
