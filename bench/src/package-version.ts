import { readFile } from "node:fs/promises";

/** The installed version of a dependency of the bench package, for the report. */
export async function packageVersion(name: string): Promise<string> {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  const manifest = JSON.parse(await readFile(path, "utf8")) as { version?: string };
  return manifest.version ?? "unknown";
}
